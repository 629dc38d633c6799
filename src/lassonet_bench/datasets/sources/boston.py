"""Boston housing (scikit-learn's CSV) for Figure 4: the 13 features and 13 seeded noise columns, standardised."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

BOSTON_NOISE_SEED = 20210413  # fixed so that Figure 4's 13 noise columns are the same in every run

def read_boston_csv(path):
    """Read scikit-learn's `boston_house_prices.csv` (line 1 is `506,13`, line 2 the header) as a DataFrame."""
    path = Path(path)
    frame = pd.read_csv(path, skiprows=1)
    if frame.shape[1] != 14 or frame.columns[-1] != "MEDV":
        raise ValueError(f"{path}: expected 13 features and MEDV after the first line, got columns {list(frame.columns)}")
    return frame

def preprocess_boston(frame, noise_seed=BOSTON_NOISE_SEED):
    """Boston housing for Figure 4: the 13 features plus 13 standard-Gaussian noise columns (seeded), all 26
    standardised over the 506 rows as in the authors' example; y is MEDV, unscaled, as float32."""
    real = frame.iloc[:, :13].to_numpy(dtype=np.float64)
    noise = np.random.default_rng(noise_seed).standard_normal(real.shape)
    X = StandardScaler().fit_transform(np.hstack([real, noise])).astype(np.float32)
    y = frame["MEDV"].to_numpy(dtype=np.float32)
    names = [str(c) for c in frame.columns[:13]] + [f"noise_{j + 1}" for j in range(noise.shape[1])]
    return X, y, names, {"noise_seed": noise_seed, "n_true_features": 13, "noise_columns": names[13:]}


def build(raw_dir):
    return preprocess_boston(read_boston_csv(Path(raw_dir) / "boston_house_prices.csv"))
