"""Staging and applying safely: the new code runs off to the side, every
change to live state goes through the journal (so a failure undoes it),
requests wait at the gate while it is applied, one refresh at a time
(the lock), none past its time limit."""
