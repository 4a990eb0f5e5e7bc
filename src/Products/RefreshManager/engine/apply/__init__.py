"""One refresh as a unit of work: its packages planned, staged, applied
under the gate, or rolled back, all together. `refresh.refresh_packages`
is the engine's entry point."""
