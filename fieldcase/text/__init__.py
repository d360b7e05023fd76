"""Text handling with no storage or UI: normalisation, speaker turns, segmentation."""
