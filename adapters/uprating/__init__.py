"""Where the annual uprating keeps its award index and how it writes events in bulk."""
