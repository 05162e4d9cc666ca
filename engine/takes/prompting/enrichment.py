"""Flash enrichment of one built prompt: bypass rules, the call, checks, retry and fallback.

`enrich` takes a BuiltPrompt (only the builder makes those) and returns an EnrichedPrompt,
which nothing accepts as input again: a prompt passes through Flash at most once, by
construction. Bypass without a call: the global switch, ENV-only shots, the expression matrix,
previz (Flash-native: its own system instruction is used by the generator), and offline (no
API key, --offline, or the network unreachable). A failed answer is retried once at
temperature 0, then the builder's text is used, with the failed check as the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from engine.core import gemini
from engine.takes.prompting.builder import BuiltPrompt
from engine.takes.prompting.config import EnrichmentSettings, Profile, load_config
from engine.takes.prompting.system_prompts import SystemPrompt, system_prompt
from engine.takes.prompting.validation import check_answer

ENRICHED, BYPASSED, FELL_BACK = "enriched", "bypassed", "fell_back"


@dataclass(frozen=True)
class Attempt:
    temperature: float
    check: str | None  # None: the answer passed every check
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    answer: str | None = None


@dataclass(frozen=True)
class EnrichedPrompt:
    text: str  # the final prompt, exactly as the generator receives it
    outcome: str  # enriched | bypassed | fell_back
    reason: str | None
    built: BuiltPrompt
    system_prompt: SystemPrompt | None
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    model: str = ""  # the Flash model, when it was called

    @property
    def version(self) -> str | None:
        return self.system_prompt.version if self.system_prompt else None

    @property
    def cost(self) -> float:
        return sum(a.cost for a in self.attempts)


@dataclass(frozen=True)
class Options:
    """How a run enriches: the switch, offline, and the client to call with."""

    skip: bool = False
    offline: bool = False
    client: object | None = None  # a google-genai Client; made from the API key when None
    settings: EnrichmentSettings | None = None


def bypass_reason(built: BuiltPrompt, options: Options) -> str | None:
    cfg = load_config()
    if built.pipeline == "previz":
        return "previz: Flash-native, its system instruction goes to the generator"
    if built.pipeline == "expression_matrix":
        return "expression: universal generic subject, no enrichment"
    if built.env_only and built.pipeline != "location_ref":
        return "env: ENV-only shot, Flash would put people back into the frame"
    if options.skip or cfg.enrichment.skip_flash_enrichment:
        return "switch: skip_flash_enrichment is on"
    if options.offline:
        return "offline: enrichment was turned off for this run"
    if options.client is None and gemini.api_key() is None:
        return "offline: no API key (set GOOGLE_API_KEY or GEMINI_API_KEY)"
    return None


def payload(built: BuiltPrompt, profile: Profile) -> dict:
    lim = profile.limits
    limits = {k: v for k, v in vars(lim).items() if v not in (None, False)}
    return {
        "target": built.target,
        "pipeline": built.pipeline,
        "env_only": built.env_only,
        "parts": [{"name": n, "text": t} for n, t in built.parts],
        "locked_terms": list(built.locked_terms),
        "limits": limits,
        "draft": built.text,
    }


def request_config(sp: SystemPrompt, temperature: float, json_out: bool = False):
    from google.genai import types

    return types.GenerateContentConfig(
        system_instruction=sp.text,
        temperature=temperature,
        response_mime_type="application/json" if json_out else None,
    )


def price(settings: EnrichmentSettings, usage: gemini.Usage) -> float:
    return round(
        usage.input_tokens * settings.price_per_1m_input_tokens / 1e6
        + usage.output_tokens * settings.price_per_1m_output_tokens / 1e6,
        8,
    )


def system_prompt_for(built: BuiltPrompt) -> SystemPrompt | None:
    profile = load_config().profile(built.target)
    return system_prompt(built.target) if profile.system_prompt else None


def bypassed(built: BuiltPrompt, reason: str, attempts=()) -> EnrichedPrompt:
    sp = system_prompt_for(built) if built.pipeline == "previz" else None
    return EnrichedPrompt(built.text, BYPASSED, reason, built, sp, tuple(attempts))


def fell_back(built: BuiltPrompt, sp, attempts: list[Attempt], model: str) -> EnrichedPrompt:
    checks = [a.check for a in attempts if a.check]
    reason = checks[0] if len(checks) == 1 else f"{checks[0]}; retry at temperature 0: {checks[-1]}"
    return EnrichedPrompt(built.text, FELL_BACK, reason, built, sp, tuple(attempts), model)


def _setup(built: BuiltPrompt, options: Options):
    cfg = load_config()
    settings = options.settings or cfg.enrichment
    client = options.client or gemini.make_client(gemini.api_key() or "", settings.timeout_s)
    sp = system_prompt(built.target)
    profile = cfg.profile(built.target)
    contents = json.dumps(payload(built, profile), ensure_ascii=False)
    return settings, client, sp, profile, contents


def _judge(built, profile, settings, temperature, response) -> Attempt:
    usage = gemini.usage_of(response)
    text = gemini.text_of(response).strip()
    check = check_answer(text, built, profile.limits)
    return Attempt(temperature, check, usage.input_tokens, usage.output_tokens, price(settings, usage), text)


def _policy(built: BuiltPrompt, options: Options):
    """The enrichment policy as a generator, shared by the sync and async drivers.

    It yields (client, model, contents, config) for each call to make, is sent the answer (or
    the exception the call raised), and returns the EnrichedPrompt: bypass without a call, the
    first answer that passes every check, one retry at temperature 0, then the builder's text.
    """
    if not isinstance(built, BuiltPrompt):
        raise TypeError("enrich takes the builder's BuiltPrompt; an enriched prompt is never enriched again")
    reason = bypass_reason(built, options)
    if reason:
        return bypassed(built, reason)
    settings, client, sp, profile, contents = _setup(built, options)
    attempts: list[Attempt] = []
    for temperature in (settings.temperature, 0.0):
        answer = yield client, settings.model, contents, request_config(sp, temperature)
        if isinstance(answer, Exception):
            failure = gemini.classify(answer)
            if failure is None:
                raise answer
            if failure.unreachable and not attempts:
                return bypassed(built, f"offline: network unreachable ({failure.check})")
            attempts.append(Attempt(temperature, failure.check))
            continue
        attempt = _judge(built, profile, settings, temperature, answer)
        attempts.append(attempt)
        if attempt.check is None:
            return EnrichedPrompt(attempt.answer or "", ENRICHED, None, built, sp, tuple(attempts), settings.model)
    return fell_back(built, sp, attempts, settings.model)


def enrich(built: BuiltPrompt, options: Options | None = None) -> EnrichedPrompt:
    """Enrich one built prompt through Flash (synchronous)."""
    return gemini.drive(_policy(built, options or Options()))


async def enrich_async(built: BuiltPrompt, options: Options) -> EnrichedPrompt:
    """The same as `enrich`, through the SDK's async client (for batches)."""
    return await gemini.drive_async(_policy(built, options))
