"""Official documents of a report: Word in the Nghị định 30/2020 layout, the appendix in Excel, PDF."""
