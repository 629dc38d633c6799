"""Principal feature analysis (Lu et al. 2007): PCA on the standardised data, k-means on the loading vectors, and
the feature nearest each centroid."""

import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA

from lassonet_bench.selectors.base import (
    BaselineSelector,
    complete_ranking,
)
from lassonet_bench.validation import (
    N_FEATURES_TO_SELECT,
)


class PFASelector(BaselineSelector):
    """Principal feature analysis (Lu, Cohen, Zhou, Tian 2007), our own implementation.

    Standardise the features, keep the principal components that explain `n_components` of the variance (0.5, as
    in the authors' `experiments/evaluate.py`; an int keeps that many components), run k-means with k clusters on
    the rows of the d x q loading matrix, and keep in each cluster the feature nearest its centroid.
    Constant features are left out of the clustering (standardised, they all sit at the origin of the loading
    space, and one could be picked as a cluster's representative) and ranked last. If fewer than k clusters are
    non-empty (fewer distinct loading rows than k), the remaining places go to the features nearest to their
    centroid. `ranking_`: the representatives (largest cluster first), then the other features by distance to their
    centroid. `n_components_` is the number of components kept. Not nested: the clusters change with k.
    """

    name = "pfa"
    title = "PFA"
    requires_labels = False

    def __init__(self, n_features_to_select=N_FEATURES_TO_SELECT, random_state=None, n_components=0.5, n_init=10):
        super().__init__(n_features_to_select, random_state)
        self.n_components = n_components
        self.n_init = n_init

    def _rank_features(self, X, y=None):
        std = X.std(axis=0)
        varying = np.flatnonzero(std > 1e-12)
        constant = np.flatnonzero(std <= 1e-12)
        if len(varying) < self.n_features_to_select:
            raise ValueError(
                f"n_features_to_select={self.n_features_to_select} exceeds the {len(varying)} non-constant features"
            )
        loadings = self._loadings((X[:, varying] - X[:, varying].mean(axis=0)) / std[varying])
        order = self._cluster_order(loadings)
        return np.concatenate([varying[order], constant])

    def _loadings(self, standardised):
        pca = PCA(n_components=self.n_components, svd_solver="full", random_state=self.random_state)
        pca.fit(standardised)
        self.n_components_ = int(pca.n_components_)
        return pca.components_.T

    def _cluster_order(self, loadings):
        k = self.n_features_to_select
        kmeans = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Number of distinct clusters")
            labels = kmeans.fit_predict(loadings)
        distances = np.linalg.norm(loadings - kmeans.cluster_centers_[labels], axis=1)
        representatives = []
        sizes = np.bincount(labels, minlength=k)
        for cluster in np.argsort(-sizes, kind="stable"):
            members = np.flatnonzero(labels == cluster)
            if len(members):
                representatives.append(members[np.argmin(distances[members])])
        return complete_ranking(representatives, -distances)



SELECTOR = PFASelector  # the registry (lassonet_bench.selectors) reads it
