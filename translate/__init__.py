"""translate: a Korean-first translation workflow for Markdown clinic articles."""

__version__ = "0.1.0"
# Bumped when the segments found in an article change (new kinds of text): cached results made with
# the old segments are then stale.
SEGMENTATION_VERSION = 2
