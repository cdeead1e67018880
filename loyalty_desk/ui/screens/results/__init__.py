"""Programme results: figures of a period by branch and tier, charts with their tables, drill-down, export."""
