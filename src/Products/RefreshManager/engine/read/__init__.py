"""Reading a package's code: which loaded modules and files are its own,
their fingerprints, and what their bytecode does, read the same way on
every Python (`versions` says where the fast readings are proven)."""
