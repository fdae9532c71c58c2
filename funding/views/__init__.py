"""Views, one module per surface of the product (each stays small and thin):

- `pages`: the overview of Figures 1-3 and the region chart;
- `explorer`: drill-down pages `/expenditure/` and `/approvals/`;
- `data`: the machine-readable twins (`.json`, `.csv`, `.xlsx`) of every page;
- `releases`: sign-in-only upload, preview, publish, withdraw and the release history.
"""
