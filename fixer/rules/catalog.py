"""The built-in rules: importing this module registers every one of them.

The registry imports it on first use. Each rule module registers its rules when
imported, so adding a module here is all it takes to ship a new rule.
"""

from fixer.rules import credentials, partial, references, state, structure, versions

__all__ = ["credentials", "partial", "references", "state", "structure", "versions"]
