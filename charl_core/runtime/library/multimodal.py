"""LANGUAGE.md §8.17: the multimodal demo — CLIP-style embeddings, images, VQA, scene graphs, temporal
events, visual grounding and multimodal chains of thought.

Embeddings are deterministic: a text is a bag of hashed character trigrams (CRC-32, so the same on every run
and machine, unlike Python's salted `hash`), an image its pixels (averaged into at most `PATCHES` runs)
through a fixed §7.3 projection; both are L2-normalised, so `embedding_cosine_similarity` is their dot
product. Grounding scores each scene object by the cosine between the phrase and the object's class and
attributes. `scene_graph_generate` infers one spatial relation per pair of objects from their boxes'
centres (image coordinates: y grows downwards). `vqa_add_qa` returns null and cannot update its argument
(§5.1), so a VQA system never holds an answer and `vqa_answer` gives null, as the catalog documents.
"""

from __future__ import annotations

import math
import zlib
from typing import Any

import numpy as np

from charl_core.runtime.errors import CharlError
from charl_core.runtime.kernels import matmul, sequential_sum
from charl_core.runtime.library import implements
from charl_core.runtime.library.arguments import float_array, to_float
from charl_core.runtime.library.specialised import (
    ObjectValue,
    checked,
    count,
    display,
    fixed2,
    label,
    mean,
    shown,
    xavier,
)
from charl_core.runtime.values import kind_name, values_equal

TEMPERATURE = 0.07
RETRIEVAL_TOP_K = 5
PATCHES = 256
"""An image is averaged over at most this many contiguous pixel runs before its projection, so a large
image costs a `[256, dim]` matrix, not `[pixels, dim]`; smaller images keep one pixel per patch."""


def normalised(vector: np.ndarray) -> np.ndarray:
    norm = math.sqrt(sequential_sum(vector * vector))
    return vector / norm if norm > 0.0 else vector


def text_vector(text: str, dim: int) -> np.ndarray:
    """Signed feature hashing of the padded lower-case text's character trigrams."""
    padded = f"  {text.lower()} "
    vector = np.zeros(dim)
    for start in range(len(padded) - 2):
        digest = zlib.crc32(padded[start : start + 3].encode())
        vector[digest % dim] += 1.0 if digest & 0x80000000 else -1.0
    return normalised(vector)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return sequential_sum(normalised(a) * normalised(b))


class ClipEncoder(ObjectValue):
    KIND = "clip_encoder"
    dim: int
    temperature: float = TEMPERATURE

    def text(self) -> str:
        return f"CLIPEncoder(dim={self.dim}, temp={display(self.temperature)})"


class Embedding(ObjectValue):
    KIND = "multimodal_embedding"
    modality: str
    vector: np.ndarray

    def text(self) -> str:
        return f"MultimodalEmbedding({self.modality}, dim={self.vector.size})"


class Image(ObjectValue):
    KIND = "image"
    id: Any
    width: int
    height: int
    pixels: np.ndarray
    caption: str | None = None

    def text(self) -> str:
        return f"Image(id={shown(self.id)}, {self.width}x{self.height}, {self.pixels.size} pixels)"


def _encoder(name: str, args: list) -> ClipEncoder:
    return checked(name, args)[0]


@implements("clip_encoder_create")
def clip_encoder_create(ctx, args):
    dim = count(checked("clip_encoder_create", args)[0])
    if dim < 1:
        raise CharlError(f"clip_encoder_create: embedding_dim must be positive, got {dim}")
    return ClipEncoder(dim)


@implements("clip_encode_image")
def clip_encode_image(ctx, args):
    encoder, image = checked("clip_encode_image", args)[:2]
    if image.pixels.size == 0:
        return Embedding("Image", np.zeros(encoder.dim))
    patches = np.array(
        [mean(chunk) for chunk in np.array_split(image.pixels, min(image.pixels.size, PATCHES))]
    )
    projection = xavier(patches.size, encoder.dim, 0)
    return Embedding("Image", normalised(matmul(patches[None, :], projection)[0]))


@implements("clip_encode_text")
def clip_encode_text(ctx, args):
    encoder, text = checked("clip_encode_text", args)[:2]
    return Embedding("Text", text_vector(label(text), encoder.dim))


@implements("embedding_cosine_similarity")
def embedding_cosine_similarity(ctx, args):
    first, second = checked("embedding_cosine_similarity", args)[:2]
    if first.vector.size != second.vector.size:
        raise CharlError(
            f"embedding_cosine_similarity: dimensions differ ({first.vector.size} and {second.vector.size})"
        )
    return cosine(first.vector, second.vector)


@implements("image_create")
def image_create(ctx, args):
    image_id, width, height, pixels = checked("image_create", args)[:4]
    return Image(image_id, count(width), count(height), float_array(pixels))


@implements("image_with_caption")
def image_with_caption(ctx, args):
    image, caption = checked("image_with_caption", args)[:2]
    return image.with_(caption=label(caption))


# ───────────────────────────── VQA and retrieval ─────────────────────────────


class VqaSystem(ObjectValue):
    KIND = "vqa_system"
    encoder: ClipEncoder

    def text(self) -> str:
        return "VQASystem"


class CrossModalRetrieval(ObjectValue):
    KIND = "cross_modal_retrieval"
    encoder: ClipEncoder
    top_k: int = RETRIEVAL_TOP_K

    def text(self) -> str:
        return f"CrossModalRetrieval(top_k={self.top_k})"


@implements("vqa_create")
def vqa_create(ctx, args):
    return VqaSystem(_encoder("vqa_create", args))


@implements("vqa_add_qa")
def vqa_add_qa(ctx, args):
    checked("vqa_add_qa", args)
    return None


@implements("vqa_answer")
def vqa_answer(ctx, args):
    checked("vqa_answer", args)
    return None


@implements("cross_modal_create")
def cross_modal_create(ctx, args):
    return CrossModalRetrieval(_encoder("cross_modal_create", args))


# ───────────────────────────── scene graphs ─────────────────────────────


class SceneObject(ObjectValue):
    KIND = "scene_object"
    id: Any
    cls: str
    bbox: tuple[float, float, float, float]
    confidence: float = 1.0
    attributes: tuple[str, ...] = ()

    def text(self) -> str:
        return f"SceneObject(id={shown(self.id)}, class={self.cls}, conf={fixed2(self.confidence)})"

    @property
    def centre(self) -> tuple[float, float]:
        x, y, w, h = self.bbox
        return x + w / 2.0, y + h / 2.0

    @property
    def description(self) -> str:
        return " ".join((*self.attributes, self.cls))


class SceneGraph(ObjectValue):
    KIND = "scene_graph"
    objects: tuple[SceneObject, ...] = ()
    relations: tuple[tuple[Any, str, Any], ...] = ()

    def text(self) -> str:
        return f"SceneGraph(objects={len(self.objects)}, relations={len(self.relations)})"

    def name_of(self, object_id: Any) -> str:
        for obj in self.objects:
            if values_equal(obj.id, object_id):
                return obj.cls
        return label(object_id)

    def relation_texts(self, object_id: Any = None) -> list[str]:
        return [
            f"{self.name_of(s)} {r} {self.name_of(o)}"
            for s, r, o in self.relations
            if object_id is None or values_equal(s, object_id) or values_equal(o, object_id)
        ]


class SceneGraphGenerator(ObjectValue):
    KIND = "scene_graph_generator"

    def text(self) -> str:
        return "SceneGraphGenerator"


def spatial_relation(subject: SceneObject, target: SceneObject) -> str:
    """Where `subject` is relative to `target`, along the axis where their centres differ most."""
    (sx, sy), (tx, ty) = subject.centre, target.centre
    if abs(tx - sx) >= abs(ty - sy):
        return "left of" if sx < tx else "right of"
    return "above" if sy < ty else "below"


@implements("scene_object_create")
def scene_object_create(ctx, args):
    object_id, cls, bbox = checked("scene_object_create", args)[:3]
    box = float_array(bbox)
    if box.size != 4:
        raise CharlError(f"scene_object_create: bbox must be [x, y, w, h], got {box.size} numbers")
    return SceneObject(object_id, shown(cls), tuple(float(v) for v in box))


@implements("scene_object_with_attribute")
def scene_object_with_attribute(ctx, args):
    obj, attribute = checked("scene_object_with_attribute", args)[:2]
    return obj.with_(attributes=(*obj.attributes, label(attribute)))


@implements("scene_graph_create")
def scene_graph_create(ctx, args):
    return SceneGraph()


@implements("scene_graph_add_object")
def scene_graph_add_object(ctx, args):
    graph, obj = checked("scene_graph_add_object", args)[:2]
    return graph.with_(objects=(*graph.objects, obj))


@implements("scene_graph_add_relation")
def scene_graph_add_relation(ctx, args):
    graph, subject, relation, target = checked("scene_graph_add_relation", args)[:4]
    return graph.with_(relations=(*graph.relations, (subject, label(relation), target)))


@implements("scene_graph_get_relations")
def scene_graph_get_relations(ctx, args):
    graph, object_id = checked("scene_graph_get_relations", args)[:2]
    return graph.relation_texts(object_id)


@implements("scene_graph_to_description")
def scene_graph_to_description(ctx, args):
    graph = checked("scene_graph_to_description", args)[0]
    objects = ", ".join(obj.description for obj in graph.objects) or "none"
    relations = ", ".join(graph.relation_texts()) or "none"
    return f"Objects: {objects}. Relations: {relations}."


@implements("scene_graph_generator_create")
def scene_graph_generator_create(ctx, args):
    return SceneGraphGenerator()


@implements("scene_graph_generate")
def scene_graph_generate(ctx, args):
    objects = checked("scene_graph_generate", args)[1]
    for item in objects:
        if not isinstance(item, SceneObject):
            raise CharlError(
                f"scene_graph_generate() expects an array of scene_object, got {kind_name(item)}"
            )
    relations = tuple(
        (a.id, spatial_relation(a, b), b.id) for i, a in enumerate(objects) for b in objects[i + 1 :]
    )
    return SceneGraph(tuple(objects), relations)


# ───────────────────────────── temporal events ─────────────────────────────


class TemporalEvent(ObjectValue):
    KIND = "temporal_event"
    id: Any
    description: str
    start: float
    end: float
    objects: tuple[Any, ...] = ()

    def text(self) -> str:
        return f"TemporalEvent(id={shown(self.id)}, {self.start:.1f}-{self.end:.1f})"


@implements("temporal_event_create")
def temporal_event_create(ctx, args):
    event_id, description, start, end = checked("temporal_event_create", args)[:4]
    return TemporalEvent(event_id, label(description), to_float(start), to_float(end))


@implements("temporal_event_with_object")
def temporal_event_with_object(ctx, args):
    event, object_id = checked("temporal_event_with_object", args)[:2]
    return event.with_(objects=(*event.objects, object_id))


@implements("temporal_event_relation")
def temporal_event_relation(ctx, args):
    """Allen's interval relations folded into four: touching intervals count as before/after."""
    first, second = checked("temporal_event_relation", args)[:2]
    if first.end <= second.start:
        return "before"
    if first.start >= second.end:
        return "after"
    if first.start >= second.start and first.end <= second.end:
        return "during"
    return "overlaps"


# ───────────────────────────── grounding and reasoning ─────────────────────────────


class VisualGrounding(ObjectValue):
    KIND = "visual_grounding"
    encoder: ClipEncoder

    def text(self) -> str:
        return "VisualGrounding"

    def ground(self, phrase: str, scene: SceneGraph) -> list[tuple[SceneObject, float]]:
        """Every object with its score, best first (ties keep the scene's order)."""
        target = text_vector(phrase, self.encoder.dim)
        scored = [
            (obj, cosine(target, text_vector(obj.description, self.encoder.dim))) for obj in scene.objects
        ]
        return sorted(scored, key=lambda pair: -pair[1])


class MultimodalReasoner(ObjectValue):
    KIND = "multimodal_reasoner"
    grounding: VisualGrounding

    def text(self) -> str:
        return "MultimodalReasoner"


class MultimodalCoT(ObjectValue):
    KIND = "multimodal_cot"
    question: str
    answer: str
    confidence: float
    steps: tuple[tuple[str, str, float], ...]  # (thought, modality, confidence)

    def text(self) -> str:
        return f"MultimodalCoT(question={self.question}, answer={self.answer}, steps={len(self.steps)})"


def _scene(name: str, value: Any) -> SceneGraph:
    if not isinstance(value, SceneGraph):
        raise CharlError(f"{name}() expects scene_graph, got {kind_name(value)}")
    return value


@implements("visual_grounding_create")
def visual_grounding_create(ctx, args):
    return VisualGrounding(_encoder("visual_grounding_create", args))


@implements("visual_grounding_ground_phrase")
def visual_grounding_ground_phrase(ctx, args):
    grounding, phrase, scene = checked("visual_grounding_ground_phrase", args)[:3]
    matches = grounding.ground(label(phrase), _scene("visual_grounding_ground_phrase", scene))
    return [[obj.id, score] for obj, score in matches]


@implements("multimodal_reasoner_create")
def multimodal_reasoner_create(ctx, args):
    return MultimodalReasoner(checked("multimodal_reasoner_create", args)[0])


@implements("multimodal_reasoner_reason")
def multimodal_reasoner_reason(ctx, args):
    """Parse (text), ground (visual), relate (visual), answer (multimodal): the answer is the best-grounded
    object's relations, or its description when it has none."""
    reasoner, question, scene = checked("multimodal_reasoner_reason", args)[:3]
    question = label(question)
    graph = _scene("multimodal_reasoner_reason", scene)
    steps = [(f"Parse the question: {question}", "Text", 1.0)]
    matches = reasoner.grounding.ground(question, graph)
    if not matches:
        steps.append(("The scene has no objects to ground the question in", "Visual", 0.0))
        return MultimodalCoT(question, "unknown", 0.0, tuple(steps))
    best, score = matches[0]
    grounded = max(score, 0.0)
    steps.append((f"Ground the question: {best.description} (id {shown(best.id)})", "Visual", grounded))
    relations = graph.relation_texts(best.id)
    steps.append((f"Relations of {best.cls}: {', '.join(relations) or 'none'}", "Visual", 1.0))
    answer = "; ".join(relations) or best.description
    steps.append((f"Answer: {answer}", "Multimodal", grounded))
    return MultimodalCoT(question, answer, mean(np.array([s[2] for s in steps])), tuple(steps))


@implements("multimodal_cot_get_info")
def multimodal_cot_get_info(ctx, args):
    cot = checked("multimodal_cot_get_info", args)[0]
    return [cot.question, cot.answer, cot.confidence, len(cot.steps)]


@implements("multimodal_cot_get_step")
def multimodal_cot_get_step(ctx, args):
    cot, number = checked("multimodal_cot_get_step", args)[:2]
    step = count(number)
    if not 1 <= step <= len(cot.steps):
        raise CharlError(
            f"multimodal_cot_get_step: step {step} does not exist (the chain has {len(cot.steps)} steps)"
        )
    thought, modality, confidence = cot.steps[step - 1]
    return [step, thought, modality, confidence]
