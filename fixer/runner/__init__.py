"""The runner layer: the only code that touches the file system.

It walks the paths it is given, reads candidate files into snapshots, and writes
fixed text back atomically; everything above it works on text and trees.
"""
