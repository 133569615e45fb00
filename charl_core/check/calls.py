"""Calls and `fn` statements, for the checker of `infer.py` (LANGUAGE.md §5.7, §9.2, §9.5, §4.4):
builtin calls through the catalog's rules, user calls checked once per distinct tuple of argument types
(memoised, with the effects a memo hit replays), `fn` statements with their generic check, late-bound
top-level functions.

`CallChecks` is a part of `Checker` (its mixin): it uses the walker's `expression`, `statements`, `report`,
`frames` and the item state that `Checker` owns.
"""

from __future__ import annotations

from charl_core import ast
from charl_core.builtins import is_builtin, lookup
from charl_core.builtins.spec import Builtin, Call, Tracking
from charl_core.check.annotations import (
    DimensionScope,
    annotation_conflict,
    annotation_type,
    bind_dimensions,
    refine_with_annotation,
    substitute,
)
from charl_core.check.arguments import kind_problem
from charl_core.check.env import Binding, Env, Layer
from charl_core.check.functions import (
    CallResult,
    Effect,
    Frame,
    FunctionInfo,
    function_key,
    function_place,
)
from charl_core.types import (
    ANY,
    NULL,
    AnyType,
    ArrayType,
    BoolType,
    FunctionType,
    Grad,
    TensorType,
    TupleType,
    Type,
    join_all,
    kind_name,
)

MAX_CALL_DEPTH = 3


class CallChecks:
    def function_def(self, node: ast.FunctionDef, env: Env) -> Type:
        item = self.owner() or self.item
        key = function_key(node.name.id, item, node.span.start)
        top_level = len(self.frames) == 1 and len(env.scopes) == 1
        place = function_place(node.name.id, item, node.span.start)
        referenced = self.is_referenced(place)
        self.effects.append(("ref", place, referenced))
        info = FunctionInfo(node, env.snapshot(), top_level, key, referenced, item)
        self.register(key, info)
        function = FunctionType(key, self.parameter_types(node))
        env.declare(node.name.id, Binding(function, True, node.name.span))
        info.snapshot.declare(node.name.id, Binding(function, True, node.name.span))
        if is_builtin(node.name.id):
            self.report.warning(
                "W207",
                f"fn {node.name.id} is never called: {node.name.id}(...) calls the builtin",
                node.name.span,
            )
        elif not referenced:
            why = " (Charl has no implicit main)" if node.name.id == "main" else ""
            self.report.warning("W208", f"fn {node.name.id} is never called{why}", node.name.span)
        self.check_generic(info)
        return function

    def check_generic(self, info: FunctionInfo) -> None:
        """Check a body once with its declared parameter types: every finding is conditional (§4.4)."""
        dimensions = DimensionScope()
        # Scalar annotations are often wrong in working programs (`fun: int32` holding a function, §4.2):
        # only tensor, array and tuple annotations carry information worth checking a body against.
        declared = self.parameter_types(info.node)
        env = self.body_env(
            info, [t if isinstance(t, TensorType | ArrayType | TupleType) else ANY for t in declared]
        )
        with self.report.context(certain=False, executed=info.referenced):
            self.frames.append(Frame(info, dimensions))
            self.call_depth[info.key] = self.call_depth.get(info.key, 0) + 1
            try:
                value = self.statements(info.node.body.statements, env)
            finally:
                self.call_depth[info.key] -= 1
                frame = self.frames.pop()
        declared = info.node.return_type
        if declared is not None and env.alive:
            inferred = join_all(*frame.returns, value) if frame.returns else value
            conflict = annotation_conflict(substitute(annotation_type(declared), frame.dimensions), inferred)
            if conflict is not None:
                self.report.warning("W205", f"return type: {conflict}", declared.span)

    def parameter_types(self, node: ast.FunctionDef) -> tuple[Type, ...]:
        """The types the parameters' annotations denote, computed once per declaration and check: every call
        binds them (`annotation_type` is pure, and the declaration is alive while it is cached)."""
        known = self.annotated_parameters.get(id(node))
        if known is None or known[0] is not node:
            known = (node, tuple(annotation_type(p.annotation) for p in node.parameters))
            self.annotated_parameters[id(node)] = known
        return known[1]

    def body_env(self, info: FunctionInfo, arguments: list[Type]) -> Env:
        env = info.snapshot.fork()
        env.alive = True
        env.push()
        for parameter, argument in zip(info.node.parameters, arguments, strict=False):
            env.declare(parameter.name.id, Binding(argument, True, parameter.name.span))
        return env

    def call(self, node: ast.Call, env: Env) -> Type:
        callee = node.callee
        if isinstance(callee, ast.Identifier):
            entry = lookup(callee.name)
            if entry is not None:
                return self.builtin_call(entry, node, env)
        function = self.expression(callee, env)
        arguments = [self.expression(a, env) for a in node.arguments]
        if isinstance(function, FunctionType):
            return self.user_call(function, node, arguments, env)
        kind = kind_name(function)
        if kind is not None:
            self.report.error("E108", f"Cannot call non-function value: {kind}", node.span)
        return ANY

    def builtin_call(self, entry: Builtin, node: ast.Call, env: Env) -> Type:
        arguments = [self.expression(a, env) for a in node.arguments]
        if not entry.accepts_count(len(arguments)):
            self.report.error("E103", entry.arity_error(len(arguments)), node.span, builtin=entry.name)
            return ANY
        for position, (parameter, argument) in enumerate(zip(entry.params, arguments, strict=False)):
            problem = kind_problem(entry, parameter.kind, parameter.object_kind, argument)
            if problem is not None:
                self.report.error("E106", problem, node.arguments[position].span)
                return ANY
        call = Call(entry, tuple(arguments))
        try:
            result = entry.result(call)
        except Exception:  # a rule must never take the checker down; `any` says nothing
            return ANY
        for finding in call.findings:
            if finding.code.startswith("E"):
                self.report.error(finding.code, finding.message, node.span, builtin=entry.name)
            else:
                self.report.warning(finding.code, finding.message, node.span)
        self.graph_cut_warning(entry, arguments, result, node)
        return result

    def graph_cut_warning(self, entry: Builtin, arguments: list[Type], result: Type, node: ast.Call) -> None:
        """W202: a graph-cutting builtin on a grad-requiring value in a loop that calls tensor_backward."""
        if not self.loop_bodies or entry.tracking is not Tracking.CUTS or not isinstance(result, TensorType):
            return  # a cut matters when its tensor result feeds later tracked operations
        if (
            any(isinstance(a, TensorType) and a.grad is not Grad.NO for a in arguments)
            and self.in_training_loop()
        ):
            twin = entry.tracked_twin
            advice = f" (use {twin})" if twin else ""
            self.report.warning(
                "W202",
                f"{entry.name} does not record gradients: "
                f"parameters before this point get no gradient{advice}",
                node.span,
                builtin=entry.name,
                replacement=twin,
            )

    def user_call(self, function: FunctionType, node: ast.Call, arguments: list[Type], env: Env) -> Type:
        info = self.functions.get(function.name)
        if info is None:
            info = self.declare_late(function.name, env)
            if info is None:
                return ANY
        self.effects.append(("use", info.item.id))
        expected = len(info.node.parameters)
        if expected != len(arguments):
            self.report.error(
                "E104", f"Wrong number of arguments: expected {expected}, got {len(arguments)}", node.span
            )
            return ANY
        dimensions = DimensionScope()
        types = self.parameter_types(info.node)
        for parameter, declared, argument, syntax in zip(
            info.node.parameters, types, arguments, node.arguments, strict=True
        ):
            conflict = bind_dimensions(declared, argument, dimensions, f"'{parameter.name.id}'")
            if conflict is not None:
                message = f"argument '{parameter.name.id}' of {info.node.name.id}: {conflict}"
                self.report.warning("W205", message, syntax.span)
        inferred, failures = self.check_call(info, tuple(arguments))
        for code, message in failures:
            self.report.error(code, f"this call fails inside {info.node.name.id}: {message}", node.span)
        if info.node.return_type is None:
            return inferred
        # §4.2: annotations are not checked at run time, so the body's inferred type wins where it is
        # known; a declared tensor type contributes the shape the body leaves unknown (§9.5).
        declared = substitute(annotation_type(info.node.return_type), dimensions)
        if isinstance(declared, TensorType) and isinstance(inferred, TensorType):
            refined = refine_with_annotation(
                declared, TensorType(inferred.dtype, inferred.shape, inferred.grad)
            )
            return TensorType(refined.dtype, refined.shape, inferred.grad, inferred.gpu)
        return inferred if not isinstance(inferred, AnyType) else declared

    def declare_late(self, key: str, env: Env) -> FunctionInfo | None:
        """A top-level function called before its `fn` statement ran (§9.2): built from the last top-level
        `fn` of that name, its snapshot is the global scope at the moment of this call. Not registered:
        the next such call may see other globals."""
        declaration = self.top_level.get(key.split("@", 1)[0])
        if declaration is None:
            return None
        globals_now = Env([Layer(None, env.scopes[0].flattened())])
        return FunctionInfo(declaration.node, globals_now, True, key, True, declaration.item)

    def check_call(
        self, info: FunctionInfo, arguments: tuple[Type, ...]
    ) -> tuple[Type, list[tuple[str, str]]]:
        """Check the body with the real argument types (memoised); the result type and the failures certain
        to happen in it when the call itself is certain."""
        certain = self.report.certain
        key = (*arguments, BoolType(certain))
        known = info.memo.get(key)
        if known is not None:
            self.replay(known.effects)
            return known.result, list(known.failures)
        if self.call_depth.get(info.key, 0) >= MAX_CALL_DEPTH:
            self.truncated = True
            return ANY, []
        env = self.body_env(info, list(arguments))
        self.call_depth[info.key] = self.call_depth.get(info.key, 0) + 1
        self.frames.append(Frame(info, DimensionScope()))
        outer_effects, outer_truncated = self.effects, self.truncated
        self.effects, self.truncated = [], False
        try:
            with self.report.collecting(certain) as failures:
                value = self.statements(info.node.body.statements, env)
        finally:
            frame = self.frames.pop()
            self.call_depth[info.key] -= 1
            effects, truncated = self.effects, self.truncated
            self.effects, self.truncated = outer_effects, outer_truncated or truncated
            self.effects.extend(effects)
        returned = [*frame.returns, value] if env.alive else frame.returns
        result = join_all(*returned) if returned else NULL
        # A result cut short by the recursion limit depends on the calls around it; memoising it would make
        # a later call's result depend on the order items were checked in (and so on the edit history).
        if not truncated:
            info.memo[key] = CallResult(result, tuple(failures), tuple(effects))
        return result, list(failures)

    def replay(self, effects: tuple[Effect, ...]) -> None:
        """Apply what a memoised call did again: its `fn` statements ran (registrations), its effects count
        for the item being checked."""
        for effect in effects:
            if effect[0] == "register":
                self.functions[effect[1]] = effect[2]
        self.effects.extend(effects)
