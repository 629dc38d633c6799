"""The paper's figures other than Figure 5: compute functions write tidy tables, plot functions draw from them."""
