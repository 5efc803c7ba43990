"""backend-fixer: find and fix Terraform backend blocks that cannot initialise unattended.

The package is layered (see DESIGN.md): ``syntax`` parses HCL losslessly, ``edits``
applies byte-precise changes, ``terraform`` holds domain knowledge, ``rules`` finds
and fixes problems, ``runner`` is the only layer touching files, ``output`` renders
results, ``bot`` talks to git and GitHub, and ``cli`` is the only layer that prints.
"""

__version__ = "0.1.0"
