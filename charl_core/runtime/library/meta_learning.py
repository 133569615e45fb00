"""LANGUAGE.md §8.18: MAML settings, meta-learning tasks, N-way K-shot episodes and prototypical networks.

`model_params` holds one tensor per shape, initialised like `linear` (§7.3); a "param" is one such tensor,
so `ModelParams(2 params)` for `[[2, 3], [3]]` and `maml_get_info`'s `num_params` count tensors too. A valid
episode has exactly `k_shot` support examples of each class `0 … n_way-1` and only query classes in that
range. Distances: `euclidean` (√Σ(a−b)²), `squared_euclidean`, `manhattan` (Σ|a−b|) and `cosine` (1 − cos).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import sequential_sum
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import shape_argument, to_float
from charl_core.runtime.library.specialised import (
    ObjectValue,
    checked,
    count,
    display,
    numbers,
    shown,
    xavier,
)
from charl_core.runtime.values import kind_name


def _shapes(name: str, value: list) -> tuple[tuple[int, ...], ...]:
    for shape in value:
        if type(shape) is not list:
            raise CharlError(f"{name}() expects an array of shapes, got {kind_name(shape)} in it")
    return tuple(shape_argument(name, shape) for shape in value)


class ModelParams(ObjectValue):
    KIND = "model_params"
    shapes: tuple[tuple[int, ...], ...]
    tensors: tuple[np.ndarray, ...]

    def text(self) -> str:
        return f"ModelParams({len(self.shapes)} params)"

    @classmethod
    def initialised(cls, shapes: tuple[tuple[int, ...], ...]) -> ModelParams:
        """A matrix `[in, out, …]` is Xavier-initialised as `linear`'s weights; a vector (a bias) is zeros."""
        tensors = []
        for shape in shapes:
            size = math.prod(shape)
            if len(shape) >= 2:
                tensors.append(xavier(shape[0], size // max(shape[0], 1), 0).reshape(-1))
            else:
                tensors.append(np.zeros(size))
        return cls(shapes, tuple(tensors))


class Maml(ObjectValue):
    KIND = "maml"
    inner_lr: float
    outer_lr: float
    inner_steps: int
    params: ModelParams

    def text(self) -> str:
        rates = f"inner_lr={display(self.inner_lr)}, outer_lr={display(self.outer_lr)}"
        return f"MAML({rates}, steps={self.inner_steps})"


@implements("maml_create")
def maml_create(ctx, args):
    shapes, inner_lr, outer_lr, steps = checked("maml_create", args)[:4]
    params = ModelParams.initialised(_shapes("maml_create", shapes))
    return Maml(to_float(inner_lr), to_float(outer_lr), count(steps), params)


@implements("maml_get_info")
def maml_get_info(ctx, args):
    maml = checked("maml_get_info", args)[0]
    return [maml.inner_lr, maml.outer_lr, maml.inner_steps, len(maml.params.shapes)]


@implements("model_params_create")
def model_params_create(ctx, args):
    shapes = checked("model_params_create", args)[0]
    return ModelParams.initialised(_shapes("model_params_create", shapes))


# ───────────────────────────── tasks and episodes ─────────────────────────────


class MetaTask(ObjectValue):
    KIND = "meta_task"
    id: Any
    support: tuple[tuple[Any, Any], ...] = ()
    query: tuple[tuple[Any, Any], ...] = ()

    def text(self) -> str:
        return f"MetaTask(id={shown(self.id)}, support={len(self.support)}, query={len(self.query)})"


@implements("meta_task_create")
def meta_task_create(ctx, args):
    return MetaTask(args[0])


@implements("meta_task_add_support")
def meta_task_add_support(ctx, args):
    task, x, y = checked("meta_task_add_support", args)[:3]
    return task.with_(support=(*task.support, (x, y)))


@implements("meta_task_add_query")
def meta_task_add_query(ctx, args):
    task, x, y = checked("meta_task_add_query", args)[:3]
    return task.with_(query=(*task.query, (x, y)))


class Episode(ObjectValue):
    KIND = "episode"
    n_way: int
    k_shot: int
    support: tuple[tuple[Any, int], ...] = ()
    query: tuple[tuple[Any, int], ...] = ()

    def text(self) -> str:
        return (
            f"Episode({self.n_way}-way {self.k_shot}-shot, support={len(self.support)}, "
            f"query={len(self.query)})"
        )

    def problem(self) -> str | None:
        """Why the episode is not a valid N-way K-shot episode, or None."""
        expected = self.n_way * self.k_shot
        if len(self.support) != expected:
            return (
                f"episode_validate: expected {expected} support examples "
                f"({self.n_way}-way {self.k_shot}-shot), got {len(self.support)}"
            )
        for _, cls in (*self.support, *self.query):
            if not 0 <= cls < self.n_way:
                return f"episode_validate: class {cls} is out of range for a {self.n_way}-way episode"
        for cls in range(self.n_way):
            shots = sum(1 for _, c in self.support if c == cls)
            if shots != self.k_shot:
                return f"episode_validate: class {cls} has {shots} support examples, expected {self.k_shot}"
        return None


@implements("episode_create")
def episode_create(ctx, args):
    n_way, k_shot = (count(v) for v in checked("episode_create", args)[:2])
    return Episode(n_way, k_shot)


@implements("episode_add_support")
def episode_add_support(ctx, args):
    episode, x, cls = checked("episode_add_support", args)[:3]
    return episode.with_(support=(*episode.support, (x, count(cls))))


@implements("episode_add_query")
def episode_add_query(ctx, args):
    episode, x, cls = checked("episode_add_query", args)[:3]
    return episode.with_(query=(*episode.query, (x, count(cls))))


@implements("episode_validate")
def episode_validate(ctx, args):
    problem = checked("episode_validate", args)[0].problem()
    if problem is not None:
        raise CharlError(problem)
    return True


@implements("episode_get_info")
def episode_get_info(ctx, args):
    episode = checked("episode_get_info", args)[0]
    return [episode.n_way, episode.k_shot, len(episode.support), len(episode.query)]


# ───────────────────────────── prototypical networks ─────────────────────────────


def _cosine_distance(a: np.ndarray, b: np.ndarray) -> float:
    norms = math.sqrt(sequential_sum(a * a)) * math.sqrt(sequential_sum(b * b))
    return 1.0 - (sequential_sum(a * b) / norms if norms > 0.0 else 0.0)


METRICS = {
    "euclidean": ("Euclidean", lambda a, b: math.sqrt(sequential_sum((a - b) * (a - b)))),
    "squared_euclidean": ("SquaredEuclidean", lambda a, b: sequential_sum((a - b) * (a - b))),
    "manhattan": ("Manhattan", lambda a, b: sequential_sum(np.abs(a - b))),
    "cosine": ("Cosine", _cosine_distance),
}
_METRIC_NAMES = "'euclidean', 'squared_euclidean', 'manhattan', or 'cosine'"


def _metric(name: str, metric: str) -> str:
    key = metric.lower()
    if key not in METRICS:
        raise CharlError(f"{name}: unknown distance metric '{metric}'. Use {_METRIC_NAMES}")
    return key


class PrototypicalNetwork(ObjectValue):
    KIND = "prototypical_network"
    dim: int
    metric: str

    def text(self) -> str:
        return f"PrototypicalNetwork(dim={self.dim}, metric={METRICS[self.metric][0]})"


@implements("prototypical_network_create")
def prototypical_network_create(ctx, args):
    dim, metric = checked("prototypical_network_create", args)[:2]
    return PrototypicalNetwork(count(dim), _metric("prototypical_network_create", metric))


@implements("distance_compute")
def distance_compute(ctx, args):
    metric, first, second = checked("distance_compute", args)[:3]
    key = _metric("distance_compute", metric)
    a, b = numbers("distance_compute", first), numbers("distance_compute", second)
    if a.size != b.size:
        raise CharlError(f"distance_compute: embeddings have different lengths ({a.size} and {b.size})")
    return METRICS[key][1](a, b)
