// @ts-check
// The film's scores (our critics, the audience) and the reader's own rating.

import { messageOf } from "./api.js";
import { button, el } from "./dom.js";

/** @typedef {import("./types.js").Context} Context */
/** @typedef {import("./types.js").Audience} Audience */
/** @typedef {import("./types.js").Rating} Rating */
/** @typedef {import("./types.js").Scores} Scores */

/**
 * "4 stars" on a five-point scale, "7 out of 10" on any other.
 * @param {import("./i18n/index.js").Translator} t
 * @param {number} value
 * @param {number} scale
 */
export function scoreLabel(t, value, scale) {
  return scale === 5 ? t("stars", { n: value }) : t("points", { n: value, max: scale });
}

/**
 * The three cards; only called once the film's scores have loaded.
 * @param {Context} ctx
 * @param {Scores} scores
 */
export function scoreCards(ctx, scores) {
  return el("div", "scores", criticCard(ctx, scores), audienceCard(ctx, scores.audience), ratingCard(ctx, scores));
}

/**
 * @param {Context} ctx
 * @param {Scores} scores
 */
function criticCard({ t }, scores) {
  const critic = scores.critic;
  const card = el("div", "card", el("h3", "", t("critics", { n: critic.reviews.length })));
  for (const review of critic.reviews) {
    card.append(el("p", "big", review.score_text), el("p", "muted", review.critic_name));
  }
  if (!critic.reviews.length) {
    card.append(el("p", "muted", t("noCritic")));
  }
  if (critic.average !== null) {
    const scale = scores.audience.display.scale;
    const value = Math.round((critic.average / 100) * scale * 10) / 10;
    card.append(el("p", "", t("criticsAverage", { value: t.number(value) + "/" + scale })));
  }
  return card;
}

/**
 * @param {Context} ctx
 * @param {Audience} audience
 */
function audienceCard({ t }, audience) {
  const scale = audience.display.scale;
  const card = el("div", "card audience", el("h3", "", t("audience")));
  if (!audience.enough) {
    card.append(el("p", "", t("notEnough", { n: audience.count })));
  } else {
    /** @param {number} share */
    const percent = (share) => Math.round(share * 100);
    card.append(
      el("p", "big", t.number(audience.display.bayesian), el("span", "muted", "/" + scale)),
      el("p", "", t("ratings", { n: audience.count })),
      el("p", "", el("strong", "", t("liked", { percent: percent(audience.liked_share) })), " ",
        el("span", "muted", "(" + t("likedBand", { low: percent(audience.liked_low), high: percent(audience.liked_high) }) + ")")),
      histogram(audience, scale, t),
    );
  }
  if (audience.held) {
    card.append(el("p", { className: "muted", role: "note" }, t("held", { n: audience.held })));
  }
  return card;
}

/**
 * @param {Audience} audience
 * @param {number} scale
 * @param {import("./i18n/index.js").Translator} t
 */
function histogram(audience, scale, t) {
  const most = Math.max(1, ...audience.histogram);
  const rows = audience.histogram.map((count, index) => {
    const bar = el("span", { className: "bar", "aria-hidden": "true" });
    bar.style.width = (count / most) * 100 + "%";
    return el("tr", "", el("th", { scope: "row" }, t.number(((index + 1) * scale) / 10)),
      el("td", "", el("span", "track", bar), " " + count));
  });
  return el("table", "",
    el("caption", "sr", t("histogram")),
    el("tbody", "", ...rows.reverse()));
}

/**
 * The audience card again, after the reader's own rating changed it.
 * @param {Context} ctx
 * @param {Audience} audience
 */
function updateAudience(ctx, audience) {
  const scores = /** @type {Scores} */ (ctx.state.scores);
  scores.audience = audience;
  /** @type {HTMLElement} */ (ctx.panel.querySelector(".audience")).replaceWith(audienceCard(ctx, audience));
}

/**
 * Ten native radios drawn as half stars: the browser gives the arrow keys, labels name each value.
 * @param {Context} ctx
 * @param {Scores} scores
 */
function ratingCard(ctx, scores) {
  const { t, state, auth, request } = ctx;
  const film = /** @type {NonNullable<typeof state.film>} */ (state.film);
  const scale = scores.audience.display.scale;
  const legend = el("legend", "", t("rate", { film: film.title }));
  const stars = el("div", "stars");
  const message = el("p", { className: "muted", "aria-live": "polite" });
  const removeButton = button(t("removeRating"));
  removeButton.hidden = true;
  const name = "rating-" + state.thread.id;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  /** @param {number} value */
  const paint = (value) => stars.querySelectorAll("label").forEach((label, index) => label.classList.toggle("on", index < value));
  /** @param {Rating | null} rating */
  const show = (rating) => {
    const value = rating ? rating.value : 0;
    stars.querySelectorAll("input").forEach((input) => (input.checked = Number(input.value) === value));
    paint(value);
    legend.textContent = rating ? t("youRated", { value: scoreLabel(t, rating.display_value, scale) }) : t("rate", { film: film.title });
    removeButton.hidden = !rating;
  };
  for (let value = 1; value <= 10; value++) {
    const id = name + "-" + value;
    const input = el("input", { type: "radio", name, value, id, className: "sr" });
    input.onchange = () => {
      // Arrow keys check each star they pass: save only where the reader stops.
      paint(value);
      clearTimeout(pending);
      pending = setTimeout(() => save(value), 600);
    };
    const label = el("label", { for: id, className: value % 2 ? "half left" : "half right" },
      el("span", "sr", scoreLabel(t, (value * scale) / 10, scale)));
    label.onmouseenter = () => paint(value);
    stars.append(input, label);
  }
  stars.onmouseleave = () => paint(Number(/** @type {HTMLInputElement | null} */ (stars.querySelector("input:checked"))?.value || 0));

  /** @param {number} value */
  async function save(value) {
    if (!auth.reader) {
      message.textContent = t("signInToRate");
      try {
        await ctx.signIn();
      } catch {
        message.textContent = t("popupBlocked");
        return;
      }
    }
    try {
      const change = await request(`/films/${film.slug}/rating`, { method: "PUT", body: { value, scale: 10 }, write: true });
      show(change.rating);
      updateAudience(ctx, change.audience);
      message.textContent = t("saved");
    } catch (error) {
      message.textContent = messageOf(error, t);
    }
  }
  removeButton.onclick = async () => {
    try {
      const change = await request(`/films/${film.slug}/rating`, { method: "DELETE", write: true });
      show(null);
      updateAudience(ctx, change.audience);
      /** @type {HTMLInputElement} */ (stars.querySelector("input")).focus();
    } catch (error) {
      message.textContent = messageOf(error, t);
    }
  };
  if (auth.reader) {
    request(`/films/${film.slug}/rating`, { write: true }).then(show, () => {});
  }
  return el("div", "card rating", el("h3", "", t("yourRating")), el("fieldset", "", legend, stars), removeButton, message);
}
