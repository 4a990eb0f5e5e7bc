"""Live reload: open pages follow the refreshes by themselves."""
