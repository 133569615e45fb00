"""Signature help for builtins and user functions, with the active parameter
(`charl_core.ide.signature`)."""

from __future__ import annotations

from lsprotocol import types

from charl_core.analysis import Analysis
from charl_ls import convert
from charl_ls.language_server import CharlLanguageServer


def register(server: CharlLanguageServer) -> None:
    options = types.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[")"])

    @server.query(types.TEXT_DOCUMENT_SIGNATURE_HELP, options)
    def signature_help(analysis: Analysis, params: types.SignatureHelpParams) -> types.SignatureHelp | None:
        """The innermost call around the cursor and the argument being typed."""
        found = analysis.signature_at(convert.offset(analysis, params.position))
        if found is None:
            return None
        parameters = [
            types.ParameterInformation(
                label=parameter.label_range,
                documentation=f"{parameter.label}: {parameter.type}" if parameter.type else None,
            )
            for parameter in found.parameters
        ]
        documentation = "\n\n".join(part for part in (found.summary, found.documentation) if part)
        active = found.active_parameter
        if parameters and active >= len(parameters):
            variadic = found.parameters[-1].label == "..."
            active = len(parameters) - 1 if variadic else len(parameters)  # out of range: highlight none
        information = types.SignatureInformation(
            label=found.label,
            documentation=types.MarkupContent(types.MarkupKind.Markdown, documentation)
            if documentation
            else None,
            parameters=parameters,
            active_parameter=active,
        )
        return types.SignatureHelp(signatures=[information], active_signature=0, active_parameter=active)
