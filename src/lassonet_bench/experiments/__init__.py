"""The figures other than Figure 5, experiment side: their declarations (`registry`, `figures.yaml`), settings
(`settings`) and compute functions, which train with the public path API and return tidy tables. Drawing them is
lassonet_bench.plots's job."""
