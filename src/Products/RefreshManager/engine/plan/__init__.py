"""Planning a refresh: the modules to run again and their order, each
compiled before anything changes (only the definitions an edit changed
where that gives the whole file's code), and the patch modules whose
top level must not run twice."""
