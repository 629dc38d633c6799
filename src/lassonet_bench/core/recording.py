"""What a path records at each λ: the features' norms and skip coefficients, the losses, the epochs and the time,
widened back to every feature of the data set."""


import numpy as np



class Recorder:
    """One network's per-step records and, per feature, when it left the model."""

    def __init__(self, d):
        self.steps, self.coefficients = [], []
        self.exit_lambda = np.full(d, np.inf)
        self.exit_norm = np.zeros(d)
        self.n_selected = d

    def record(self, lam, norms, coefficients, columns, train_loss, val_loss, val_score, epochs, seconds):
        d = len(self.exit_lambda)
        if columns is not None and len(columns) < d:  # features dropped from the stack have left this network
            norms, coefficients = _widen(norms, columns, d), _widen(coefficients, columns, d)
        active = norms > 0
        self.exit_lambda[~active & np.isinf(self.exit_lambda)] = lam
        self.exit_lambda[active] = np.inf  # a feature that came back has not left
        self.exit_norm[active] = norms[active]
        self.n_selected = int(active.sum())
        self.coefficients.append(coefficients)
        step = dict(
            step=len(self.steps),
            lambda_=lam,
            n_selected=self.n_selected,
            train_loss=train_loss,
            val_loss=val_loss,
            val_score=val_score,
            epochs=epochs,
            seconds=seconds,
        )
        self.steps.append(step)
        return step



def _widen(values, columns, d):
    full = np.zeros(d)
    full[np.asarray(columns)] = values
    return full

