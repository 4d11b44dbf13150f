import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConsensusSection } from "~/components/delphi/consensus-section";
import { itemTitle } from "~/components/delphi/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorSummary, FieldError, TextField } from "~/components/staff-form";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { localized } from "~/i18n/translate";
import {
  consensusView,
  itemLabel,
  listRounds,
  queueRoundEmails,
  roundMailCounts,
  startRound,
  type StartRoundError,
} from "~/server/delphi";
import { emailConfigured, mailerFor, processOutbox, senderAddress } from "~/server/email.server";
import { getVersion, publicBase, requireManagedSurvey } from "~/server/survey-admin.server";
import { DELPHI_PARTICIPANTS, DELPHI_REASONS, delphiItems } from "~/survey/delphi";

/**
 * A survey's Delphi rounds: the consensus section (rounds, items by status, figures by round,
 * reasons), the e-mails of the latest round that has not closed, and the form that starts the
 * next round.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const current = await getVersion(context.db, survey, null);
  const view = await consensusView(
    context.db,
    { id: survey.id, currentVersionId: survey.currentVersionId },
    { minCell: context.env.MIN_CELL_SIZE },
  );
  const url = new URL(request.url);
  const started = Number(url.searchParams.get("started")) || null;
  const now = new Date();
  const mailRound = (await listRounds(context.db, survey.id))
    .filter((r) => r.closesAt === null || r.closesAt > now)
    .at(-1);
  const num = (name: string) => Number(url.searchParams.get(name)) || 0;
  return {
    mail: mailRound
      ? {
          round: mailRound.round,
          configured: emailConfigured(context.env),
          counts: await roundMailCounts(context.db, mailRound.id),
          done: url.searchParams.has("mailed")
            ? { queued: num("mailed"), sent: num("sent"), failed: num("failed") }
            : null,
        }
      : null,
    group,
    survey: { slug: survey.slug },
    title: current?.definition.title ?? null,
    view,
    candidates: current ? delphiItems(current.definition).map(itemLabel) : [],
    defaultReasons: current?.definition.delphi?.reasons ?? "required",
    nextRound: (view.rounds.at(-1)?.round ?? 1) + 1,
    started,
  };
}

type FieldName = "items" | "opensAt" | "closesAt" | "participants" | "reasons" | "form";

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const form = await request.formData();
  const actor = { user, ip: context.clientIp };
  const here = `/staff/groups/${group.slug}/surveys/${survey.slug}/consensus`;
  /** Queues the round's e-mails and sends those due now; the query string that reports it. */
  const mailRound = async (round: number) => {
    const mailer = mailerFor(context.env);
    if (!mailer) return "";
    const { queued } = await queueRoundEmails(
      context.db,
      survey,
      round,
      { base: publicBase(context.env, request) },
      actor,
    );
    const sent = await processOutbox(context.db, mailer, {
      from: senderAddress(context.env),
      surveyId: survey.id,
      actor,
    });
    return `mailed=${queued}&sent=${sent.sent}&failed=${sent.failed}`;
  };
  if (form.get("intent") === "send-round-emails") {
    if (!emailConfigured(context.env)) {
      throw new Response("E-mail is not configured", { status: 409 });
    }
    const round = Number(form.get("round"));
    if (!Number.isInteger(round) || round < 2 || round > 1000) {
      throw new Response("", { status: 400, statusText: "Bad Request" });
    }
    return redirect(`${here}?${await mailRound(round)}#round-mail-heading`);
  }
  if (form.get("intent") !== "start-round") {
    throw new Response("", { status: 400, statusText: "Bad Request" });
  }
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, 100) : "";
  };
  const values = {
    items: form
      .getAll("items")
      .filter((v): v is string => typeof v === "string")
      .slice(0, 2000),
    opensAt: text("opensAt"),
    closesAt: text("closesAt"),
    participants: text("participants"),
    newcomers: form.get("newcomers") === "yes",
    reasons: text("reasons"),
  };
  const result = await startRound(
    context.db,
    survey,
    values as Parameters<typeof startRound>[2],
    actor,
  );
  if (!result.ok) {
    return data(
      { errors: result.errors as Partial<Record<FieldName, StartRoundError>>, values },
      { status: 400 },
    );
  }
  const mailed = await mailRound(result.round);
  return redirect(`${here}?started=${result.round}${mailed ? `&${mailed}` : ""}`);
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: pageTitle(matches, "delphi.consensus.pageTitle") },
];

export default function Consensus() {
  const { group, survey, title, view, candidates, defaultReasons, nextRound, started, mail } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const chosen = new Set(values?.items ?? []);
  const previous = nextRound - 1;
  const message = (field: FieldName) => {
    const e = errors[field];
    return e ? t(`delphi.consensus.start.errors.${e}`) : undefined;
  };
  const summary = (["items", "opensAt", "closesAt", "participants", "reasons", "form"] as const)
    .filter((f) => errors[f])
    .map((f) => ({ id: f === "form" ? undefined : `round-${f}`, message: message(f)! }));
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={`/staff/groups/${group.slug}/surveys`}>
          {t("manage.nav.backToList", { group: localized(group.name, locale) })}
        </Link>
      </p>
      <h1>
        {t("delphi.consensus.pageTitle")}: {localized(title, locale) || survey.slug}
      </h1>
      <SurveyNav base={base} />
      {started && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("delphi.consensus.start.started", { round: started })}
        </p>
      ) : null}
      <ConsensusSection view={view} locale={locale} t={t} />
      {mail ? (
        <section aria-labelledby="round-mail-heading">
          <h2 id="round-mail-heading">
            {t("delphi.consensus.mail.heading", { round: mail.round })}
          </h2>
          {mail.done && !actionData ? (
            <p className="notice notice--ok" role="status">
              {t("delphi.consensus.mail.done", mail.done)}
            </p>
          ) : null}
          {mail.configured ? (
            <>
              <p>{t("delphi.consensus.mail.intro")}</p>
              <p>{t("delphi.consensus.mail.counts", mail.counts)}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="send-round-emails" />
                <input type="hidden" name="round" value={mail.round} />
                <p>
                  <button type="submit" aria-describedby="round-mail-hint">
                    {t("delphi.consensus.mail.send", { round: mail.round })}
                  </button>
                </p>
                <p className="hint" id="round-mail-hint">
                  {t("delphi.consensus.mail.sendHint")}
                </p>
              </Form>
            </>
          ) : (
            <p>{t("delphi.consensus.mail.notConfigured")}</p>
          )}
        </section>
      ) : null}
      {view.rounds.length > 1 ? (
        <section aria-labelledby="delphi-downloads">
          <h2 id="delphi-downloads">{t("delphi.consensus.downloads")}</h2>
          <ul>
            <li>
              <a href={`${base}/consensus.csv`} download>
                {t("delphi.consensus.downloadTable")}
              </a>
            </li>
            <li>
              <a href={`${base}/consensus.csv?table=answers`} download>
                {t("delphi.consensus.downloadAnswers")}
              </a>
            </li>
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="start-round-heading">
        <h2 id="start-round-heading">
          {t("delphi.consensus.start.heading", { round: nextRound })}
        </h2>
        <p>{t("delphi.consensus.start.reach")}</p>
        <ErrorSummary items={summary} trigger={actionData} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="start-round" />
          <fieldset
            id="round-items"
            className={errors.items ? "field--invalid" : undefined}
            aria-describedby={["round-items-hint", errors.items ? "round-items-error" : null]
              .filter(Boolean)
              .join(" ")}
          >
            <legend>{t("delphi.consensus.start.items")}</legend>
            <p className="hint" id="round-items-hint">
              {t("delphi.consensus.start.itemsHint")}
            </p>
            <FieldError id="round-items-error">{message("items")}</FieldError>
            <ul className="delphi-item-choices">
              {candidates.map((item) => (
                <li key={item.id}>
                  <label>
                    <input
                      type="checkbox"
                      name="items"
                      value={item.id}
                      defaultChecked={chosen.has(item.id)}
                    />{" "}
                    {itemTitle(item, locale, t)} <code>{item.id}</code>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <TextField
            id="round-opensAt"
            name="opensAt"
            label={t("delphi.consensus.start.opensAt")}
            placeholder="YYYY-MM-DDTHH:MM"
            defaultValue={values?.opensAt ?? ""}
            error={message("opensAt")}
          />
          <TextField
            id="round-closesAt"
            name="closesAt"
            label={t("delphi.consensus.start.closesAt")}
            placeholder="YYYY-MM-DDTHH:MM"
            defaultValue={values?.closesAt ?? ""}
            error={message("closesAt")}
          />
          <fieldset id="round-participants">
            <legend>{t("delphi.consensus.start.participants")}</legend>
            <FieldError id="round-participants-error">{message("participants")}</FieldError>
            {DELPHI_PARTICIPANTS.map((p) => (
              <label key={p} className="choice">
                <input
                  type="radio"
                  name="participants"
                  value={p}
                  defaultChecked={(values?.participants ?? "previous") === p}
                />{" "}
                {p === "previous"
                  ? t("delphi.consensus.start.previous", { round: previous })
                  : t("delphi.consensus.start.invited")}
              </label>
            ))}
            <label className="choice">
              <input
                type="checkbox"
                name="newcomers"
                value="yes"
                defaultChecked={values?.newcomers ?? false}
              />{" "}
              {t("delphi.consensus.start.newcomers", { round: previous })}
            </label>
          </fieldset>
          <fieldset id="round-reasons">
            <legend>{t("delphi.consensus.start.reasons")}</legend>
            <FieldError id="round-reasons-error">{message("reasons")}</FieldError>
            {DELPHI_REASONS.map((r) => (
              <label key={r} className="choice">
                <input
                  type="radio"
                  name="reasons"
                  value={r}
                  defaultChecked={(values?.reasons ?? defaultReasons) === r}
                />{" "}
                {t(`delphi.consensus.reasonMode.${r}`)}
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit">
              {t("delphi.consensus.start.submit", { round: nextRound })}
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
