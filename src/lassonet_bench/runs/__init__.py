"""One benchmark run without Snakemake (`runner`), its input checks (`checks`), provenance (`provenance`), peak
memory (`measurement`), thread limits (`threads`) and BLAS kernels (`kernels`)."""
