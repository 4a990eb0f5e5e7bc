"""Noticing changes, for auto-refresh: watchers of the products' files
(operating system events in a helper process, or a scan), the save
sentinel a request looks at, new ``refresh.txt`` files, and the set of
products marked changed."""
