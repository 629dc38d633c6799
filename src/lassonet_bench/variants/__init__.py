"""The paper's LassoNet beyond supervised selection on tables: filter selection in ConvNets (`conv`), matrix
completion (`completion`) and its baseline Soft-Impute (`soft_impute`). Built on `core`."""
