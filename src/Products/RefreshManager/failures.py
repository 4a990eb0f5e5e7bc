"""A failed refresh, told in terms of the code its author can fix.

The Refresh tab shows, for a SyntaxError in the product, the file
(relative to the product's folder), the line number, the offending line
and the caret; for any other exception the traceback from the first
frame in the product's own code. The frames above it (the engine,
importlib, Zope's publisher) say nothing about the mistake: the log keeps
the full traceback for whoever debugs RefreshManager itself.
"""
import os
import traceback


def _inside(path, folder):
    path = os.path.realpath(path)
    return path.startswith(os.path.join(folder, ''))


def user_traceback(error, folder):
    """`error` as the tab shows it, for the product in `folder`."""
    folder = os.path.realpath(folder)
    report = traceback.TracebackException.from_exception(error)
    if isinstance(error, SyntaxError) and report.filename and _inside(
            report.filename, folder):
        report.filename = os.path.relpath(
            os.path.realpath(report.filename), folder)
        return ''.join(report.format_exception_only())
    frames = report.stack
    for index, frame in enumerate(frames):
        if _inside(frame.filename, folder):
            report.stack = traceback.StackSummary.from_list(frames[index:])
            return ''.join(report.format())
    return (''.join(report.format_exception_only())
            + '(Raised outside the product\'s code: the log has the full '
              'traceback.)\n')
