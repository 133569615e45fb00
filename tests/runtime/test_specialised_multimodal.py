"""LANGUAGE.md §8.17 (multimodal) and §8.18 (meta-learning): embeddings against NumPy, scene graphs and their
relations, temporal relations, grounding and reasoning, episodes and distances."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from charl_core.builtins import lookup
from charl_core.runtime.context import Context
from charl_core.runtime.errors import CharlError
from charl_core.runtime.library import load
from charl_core.runtime.tensor import Tensor
from charl_core.runtime.values import to_text

load()


def call(name: str, *args):
    return lookup(name).implementation(Context(out=io.StringIO()), list(args))


def message(name: str, *args) -> str:
    with pytest.raises(CharlError) as error:
        call(name, *args)
    return error.value.message


ENCODER = call("clip_encoder_create", 32)


def text_embedding(text: str):
    return call("clip_encode_text", ENCODER, text)


def similarity(a: str, b: str) -> float:
    return call("embedding_cosine_similarity", text_embedding(a), text_embedding(b))


# ───────────────────────────── embeddings ─────────────────────────────


def test_text_embeddings_are_unit_deterministic_and_similarity_ordered():
    embedding = text_embedding("a red square")
    assert to_text(embedding) == "MultimodalEmbedding(Text, dim=32)"
    assert math.isclose(np.linalg.norm(embedding.vector), 1.0, rel_tol=1e-12)
    assert np.array_equal(embedding.vector, text_embedding("a red square").vector)
    assert math.isclose(similarity("a red square", "a red square"), 1.0, rel_tol=1e-12)
    assert similarity("a red square", "a red squares") > similarity("a red square", "zebra crossing")


def test_image_embedding_is_the_normalised_fixed_projection():
    pixels = [0.1, 0.2, 0.3, 0.4]
    image = call("image_create", 1, 2, 2, pixels)
    embedding = call("clip_encode_image", ENCODER, image)
    i = np.arange(4 * 32, dtype=np.float64)
    weights = (2.0 * (((i * 9301.0 + 49297.0) % 233280.0) / 233280.0) - 1.0) * math.sqrt(2.0 / 36)
    expected = np.array(pixels) @ weights.reshape(4, 32)
    np.testing.assert_allclose(embedding.vector, expected / np.linalg.norm(expected), rtol=1e-12)
    assert to_text(embedding) == "MultimodalEmbedding(Image, dim=32)"
    other = call("clip_encode_image", ENCODER, call("image_create", 2, 2, 2, [0.2, 0.4, 0.6, 0.8]))
    assert math.isclose(
        call("embedding_cosine_similarity", embedding, other), 1.0, rel_tol=1e-12
    )  # scale-free


def test_large_images_are_averaged_into_patches():
    pixels = np.linspace(0.0, 1.0, 1000)
    big = call("clip_encode_image", ENCODER, call("image_create", 1, 40, 25, pixels.tolist()))
    patches = np.array([chunk.mean() for chunk in np.array_split(pixels, 256)])
    i = np.arange(256 * 32, dtype=np.float64)
    weights = (2.0 * (((i * 9301.0 + 49297.0) % 233280.0) / 233280.0) - 1.0) * math.sqrt(2.0 / (256 + 32))
    expected = patches @ weights.reshape(256, 32)
    np.testing.assert_allclose(big.vector, expected / np.linalg.norm(expected), rtol=1e-10)


def test_embedding_errors_and_encoder_text():
    small = call("clip_encode_text", call("clip_encoder_create", 8), "x")
    assert message("embedding_cosine_similarity", small, text_embedding("x")) == (
        "embedding_cosine_similarity: dimensions differ (8 and 32)"
    )
    assert message("clip_encoder_create", 0) == "clip_encoder_create: embedding_dim must be positive, got 0"
    assert to_text(call("clip_encoder_create", 64.9)) == "CLIPEncoder(dim=64, temp=0.07)"


def test_images_and_vqa():
    image = call("image_create", 7, 3, 2, [1, 2, 3, 4, 5, 6])
    captioned = call("image_with_caption", image, "six pixels")
    assert to_text(captioned) == "Image(id=7, 3x2, 6 pixels)"
    assert (image.caption, captioned.caption) == (None, "six pixels")
    vqa = call("vqa_create", ENCODER)
    assert to_text(vqa) == "VQASystem"
    assert call("vqa_add_qa", vqa, 7, "How many pixels?", "six") is None
    assert call("vqa_answer", vqa, image, "How many pixels?") is None  # add_qa could not change `vqa`
    assert to_text(call("cross_modal_create", ENCODER)) == "CrossModalRetrieval(top_k=5)"


# ───────────────────────────── scenes ─────────────────────────────


def _object(n, cls, box):
    return call("scene_object_create", n, cls, box)


def test_scene_objects_and_graphs():
    cat = call("scene_object_with_attribute", _object(1, "cat", [0, 0, 2, 2]), "black")
    assert to_text(cat) == "SceneObject(id=1, class=cat, conf=1.00)"
    assert (
        message("scene_object_create", 1, "cat", [0, 0, 2])
        == "scene_object_create: bbox must be [x, y, w, h], got 3 numbers"
    )
    graph = call("scene_graph_add_object", call("scene_graph_create"), cat)
    graph = call("scene_graph_add_object", graph, _object(2, "mat", [0, 3, 4, 1]))
    related = call("scene_graph_add_relation", graph, 1, "on", 2)
    assert to_text(graph) == "SceneGraph(objects=2, relations=0)"
    assert to_text(related) == "SceneGraph(objects=2, relations=1)"
    assert call("scene_graph_get_relations", related, 2) == ["cat on mat"]
    assert call("scene_graph_get_relations", related, 3) == []
    assert call("scene_graph_to_description", related) == "Objects: black cat, mat. Relations: cat on mat."
    assert call("scene_graph_to_description", call("scene_graph_create")) == "Objects: none. Relations: none."


def test_generator_infers_spatial_relations_from_box_centres():
    objects = [
        _object(1, "cat", [0, 0, 2, 2]),
        _object(2, "mat", [0, 5, 2, 2]),
        _object(3, "dog", [10, 1, 2, 2]),
    ]
    generator = call("scene_graph_generator_create")
    graph = call("scene_graph_generate", generator, objects)
    assert to_text(graph) == "SceneGraph(objects=3, relations=3)"
    assert call("scene_graph_get_relations", graph, 1) == ["cat above mat", "cat left of dog"]
    assert call("scene_graph_get_relations", graph, 2) == ["cat above mat", "mat left of dog"]
    assert message("scene_graph_generate", generator, [1]) == (
        "scene_graph_generate() expects an array of scene_object, got integer"
    )


@pytest.mark.parametrize(
    ("first", "second", "relation"),
    [
        ((0.0, 2.0), (3.0, 5.0), "before"),
        ((0.0, 3.0), (3.0, 5.0), "before"),
        ((6.0, 7.0), (3.0, 5.0), "after"),
        ((3.5, 4.0), (3.0, 5.0), "during"),
        ((2.0, 4.0), (3.0, 5.0), "overlaps"),
        ((2.0, 6.0), (3.0, 5.0), "overlaps"),
    ],
)
def test_temporal_relations(first, second, relation):
    a = call("temporal_event_create", 1, "a", *first)
    b = call("temporal_event_create", 2, "b", *second)
    assert call("temporal_event_relation", a, b) == relation


def test_temporal_event_text_and_objects():
    event = call("temporal_event_create", 1, "door opens", 0.05, 2)
    assert to_text(event) == "TemporalEvent(id=1, 0.1-2.0)"
    assert call("temporal_event_with_object", event, 3).objects == (3,) and event.objects == ()


def test_grounding_ranks_the_named_object_first():
    graph = call(
        "scene_graph_generate",
        call("scene_graph_generator_create"),
        [
            _object(1, "mat", [0, 5, 2, 2]),
            call("scene_object_with_attribute", _object(2, "cat", [0, 0, 2, 2]), "black"),
        ],
    )
    grounding = call("visual_grounding_create", ENCODER)
    ranked = call("visual_grounding_ground_phrase", grounding, "the black cat", graph)
    assert [pair[0] for pair in ranked] == [2, 1]
    assert all(type(score) is float for _, score in ranked) and ranked[0][1] > ranked[1][1]
    assert message("visual_grounding_ground_phrase", grounding, "x", 1) == (
        "visual_grounding_ground_phrase() expects scene_graph, got integer"
    )


def test_reasoner_builds_a_multimodal_chain():
    graph = call(
        "scene_graph_generate",
        call("scene_graph_generator_create"),
        [
            _object(1, "cat", [0, 0, 2, 2]),
            _object(2, "mat", [0, 5, 2, 2]),
        ],
    )
    reasoner = call("multimodal_reasoner_create", call("visual_grounding_create", ENCODER))
    cot = call("multimodal_reasoner_reason", reasoner, "Where is the cat?", graph)
    assert to_text(cot) == "MultimodalCoT(question=Where is the cat?, answer=cat above mat, steps=4)"
    question, answer, confidence, steps = call("multimodal_cot_get_info", cot)
    assert (question, answer, steps) == ("Where is the cat?", "cat above mat", 4) and 0.0 < confidence <= 1.0
    modalities = [call("multimodal_cot_get_step", cot, n)[2] for n in range(1, 5)]
    assert modalities == ["Text", "Visual", "Visual", "Multimodal"]
    assert call("multimodal_cot_get_step", cot, 1)[:2] == [1, "Parse the question: Where is the cat?"]
    assert (
        message("multimodal_cot_get_step", cot, 5)
        == "multimodal_cot_get_step: step 5 does not exist (the chain has 4 steps)"
    )


# ───────────────────────────── meta-learning ─────────────────────────────


def test_maml_and_params():
    maml = call("maml_create", [[2, 3], [3]], 0.01, 0.001, 5)
    assert to_text(maml) == "MAML(inner_lr=0.01, outer_lr=0.001, steps=5)"
    assert call("maml_get_info", maml) == [0.01, 0.001, 5, 2]
    params = call("model_params_create", [[2, 3], [3]])
    assert to_text(params) == "ModelParams(2 params)"
    assert [t.shape for t in params.tensors] == [(6,), (3,)]
    assert np.array_equal(params.tensors[1], np.zeros(3))
    assert message("maml_create", [[2, 1.5]], 0.1, 0.1, 1) == "maml_create() shape must contain integers"
    assert (
        message("model_params_create", [3])
        == "model_params_create() expects an array of shapes, got integer in it"
    )


def test_meta_tasks_are_values():
    task = call("meta_task_create", 0)
    grown = call("meta_task_add_query", call("meta_task_add_support", task, [1.0], [2.0]), [3.0], [4.0])
    assert to_text(task) == "MetaTask(id=0, support=0, query=0)"
    assert to_text(grown) == "MetaTask(id=0, support=1, query=1)"


def _episode(supports, queries=(), n_way=2, k_shot=1):
    episode = call("episode_create", n_way, k_shot)
    for cls in supports:
        episode = call("episode_add_support", episode, [float(cls)], cls)
    for cls in queries:
        episode = call("episode_add_query", episode, [float(cls)], cls)
    return episode


def test_episode_validation():
    good = _episode([0, 1], [1])
    assert call("episode_validate", good) is True
    assert call("episode_get_info", good) == [2, 1, 2, 1]
    assert to_text(good) == "Episode(2-way 1-shot, support=2, query=1)"
    assert message("episode_validate", _episode([0])) == (
        "episode_validate: expected 2 support examples (2-way 1-shot), got 1"
    )
    assert (
        message("episode_validate", _episode([0, 0]))
        == "episode_validate: class 0 has 2 support examples, expected 1"
    )
    assert message("episode_validate", _episode([0, 1], [2])) == (
        "episode_validate: class 2 is out of range for a 2-way episode"
    )


@pytest.mark.parametrize(
    ("metric", "reference"),
    [
        ("euclidean", lambda a, b: np.linalg.norm(a - b)),
        ("squared_euclidean", lambda a, b: np.sum((a - b) ** 2)),
        ("manhattan", lambda a, b: np.sum(np.abs(a - b))),
        ("cosine", lambda a, b: 1 - a @ b / (np.linalg.norm(a) * np.linalg.norm(b))),
    ],
)
def test_distances_against_numpy(metric, reference):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(7), rng.standard_normal(7)
    assert math.isclose(
        call("distance_compute", metric, a.tolist(), b.tolist()), reference(a, b), rel_tol=1e-12
    )
    as_tensors = call("distance_compute", metric, Tensor(a, (7,)), Tensor(b, (7,)))
    assert math.isclose(as_tensors, reference(a, b), rel_tol=1e-12)


def test_distance_documented_value_and_errors():
    assert call("distance_compute", "euclidean", [0.0, 0.0], [3.0, 4.0]) == 5.0
    assert message("distance_compute", "hamming", [1], [1]) == (
        "distance_compute: unknown distance metric 'hamming'. "
        "Use 'euclidean', 'squared_euclidean', 'manhattan', or 'cosine'"
    )
    assert (
        message("distance_compute", "cosine", [1], [1, 2])
        == "distance_compute: embeddings have different lengths (1 and 2)"
    )
    assert (
        to_text(call("prototypical_network_create", 64, "euclidean"))
        == "PrototypicalNetwork(dim=64, metric=Euclidean)"
    )
