"""What the engine keeps between refreshes (the fingerprints of what it
ran, the modules a classic refresh replaced) and what it tells: the
reports of a refresh, and whether what runs is what the files say."""
