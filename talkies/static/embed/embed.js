// Talkies reaction panel for publishers' pages: scores, a rating widget and the conversation.
//
//   <script src="<talkies origin>/static/embed/embed.js" data-site="reelnews" data-film="imdb:tt7181546" async></script>
//   <div data-talkies></div>      (optional: data-thread, data-film, data-lang, data-theme, data-sort)
//
// It renders into Shadow DOM and talks only to its own origin, without cookies: a reader is known by the
// short-lived token the first-party sign-in popup posts back, a guest by a token in this page's storage,
// so it works where third-party cookies are blocked. The only HTML it parses is a comment's body_html,
// sanitised by the server; everything else is set as text. Protocol: docs/embedding-api.md.
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || !window.fetch || !Element.prototype.attachShadow || !script.dataset.site) {
    return;
  }
  performance.mark("talkies:script");

  const ORIGIN = new URL(script.src, location.href).origin;
  const API = ORIGIN + "/api/v1";
  const SITE = script.dataset.site; // every request names it (docs/embedding-api.md)
  const READER_KEY = "talkies:reader:" + ORIGIN; // sessionStorage
  const GUEST_KEY = "talkies:guest:" + ORIGIN; // localStorage, so a guest can still edit tomorrow
  const MINE_KEY = "talkies:mine:" + ORIGIN; // localStorage: ids of comments written here
  const EDIT_WINDOW_MS = 15 * 60 * 1000; // the server's default; it explains a refused late edit

  // --- Strings
  // A string, or [one, other] for counts; {name} is replaced by that variable.

  const STRINGS = {
    en: {
      panel: "Reader reactions",
      loading: "Loading reactions…",
      failed: "Could not load the reactions: {error}",
      retry: "Try again",
      critics: ["Our critic", "Our critics"],
      noCritic: "No review from our critics yet.",
      criticsAverage: "Critics’ average: {value}",
      audience: "Audience",
      ratings: ["{n} rating", "{n} ratings"],
      liked: "{percent}% liked it",
      likedBand: "95% confidence {low}–{high}%",
      notEnough: "Not enough ratings yet ({n})",
      held: "Ratings under review after a sudden burst, not counted: {n}",
      histogram: "How readers rated it",
      yourRating: "Your rating",
      rate: "Rate {film}",
      youRated: "You rated it {value}",
      stars: ["{n} star", "{n} stars"],
      points: "{n} out of {max}",
      removeRating: "Remove my rating",
      signInToRate: "Sign in to save your rating.",
      comments: ["{n} comment", "{n} comments"],
      spoilerNote: "Spoilers stay hidden until you show them.",
      sortBy: "Sort by",
      best: "Best",
      top: "Top",
      new: "Newest",
      old: "Oldest",
      controversial: "Controversial",
      signIn: "Sign in",
      signOut: "Sign out",
      signedInAs: "Signed in as {name}",
      orGuest: "or comment as a guest",
      popupBlocked: "Allow pop-ups for this page to sign in.",
      yourComment: "Your comment",
      yourReply: "Your reply to {name}",
      editComment: "Edit your comment",
      name: "Your name",
      wholeSpoiler: "The whole comment is a spoiler",
      spoilerHelp: "Hide part of it with >!spoiler!<.",
      post: "Post comment",
      postReply: "Post reply",
      save: "Save changes",
      cancel: "Cancel",
      reply: "Reply",
      edit: "Edit",
      remove: "Remove",
      confirmRemove: "Remove this comment? Replies to it stay.",
      yesRemove: "Yes, remove it",
      upvote: "Upvote",
      downvote: "Downvote",
      edited: "edited",
      removed: "This comment was removed by its author.",
      removedAuthor: "Removed comment",
      guest: "Guest",
      ratedIt: "rated it {value}",
      moreReplies: ["{n} more reply", "{n} more replies"],
      evenMoreReplies: "More replies",
      loadMore: "Load more comments",
      noComments: "No comments yet. Start the conversation.",
      closed: "This conversation is closed to new comments.",
      newComments: ["{n} new comment — show", "{n} new comments — show"],
      shown: ["{n} comment shown.", "{n} comments shown."],
      posted: "Your comment was posted.",
      saved: "Saved.",
      showSpoiler: "Spoiler — show",
      hideSpoiler: "Hide spoiler",
      spoilerComment: "Contains spoilers — show",
    },
    fr: {
      panel: "Réactions des lecteurs",
      loading: "Chargement des réactions…",
      failed: "Impossible de charger les réactions : {error}",
      retry: "Réessayer",
      critics: ["Notre critique", "Nos critiques"],
      noCritic: "Pas encore de critique de notre rédaction.",
      criticsAverage: "Moyenne des critiques : {value}",
      audience: "Public",
      ratings: ["{n} note", "{n} notes"],
      liked: "{percent} % ont aimé",
      likedBand: "confiance à 95 % : {low}–{high} %",
      notEnough: "Pas encore assez de notes ({n})",
      held: "Notes d’un afflux soudain en cours d’examen, non comptées : {n}",
      histogram: "Les notes des lecteurs",
      yourRating: "Votre note",
      rate: "Notez {film}",
      youRated: "Vous avez donné {value}",
      stars: ["{n} étoile", "{n} étoiles"],
      points: "{n} sur {max}",
      removeRating: "Retirer ma note",
      signInToRate: "Connectez-vous pour enregistrer votre note.",
      comments: ["{n} commentaire", "{n} commentaires"],
      spoilerNote: "Les divulgâchages restent masqués.",
      sortBy: "Trier par",
      best: "Meilleurs",
      top: "Mieux notés",
      new: "Plus récents",
      old: "Plus anciens",
      controversial: "Controversés",
      signIn: "Se connecter",
      signOut: "Se déconnecter",
      signedInAs: "Connecté en tant que {name}",
      orGuest: "ou commentez en invité",
      popupBlocked: "Autorisez les fenêtres surgissantes pour vous connecter.",
      yourComment: "Votre commentaire",
      yourReply: "Votre réponse à {name}",
      editComment: "Modifier votre commentaire",
      name: "Votre nom",
      wholeSpoiler: "Tout le commentaire divulgâche l’intrigue",
      spoilerHelp: "Masquez-en une partie avec >!divulgâchage!<.",
      post: "Publier",
      postReply: "Répondre",
      save: "Enregistrer",
      cancel: "Annuler",
      reply: "Répondre",
      edit: "Modifier",
      remove: "Supprimer",
      confirmRemove: "Supprimer ce commentaire ? Les réponses restent.",
      yesRemove: "Oui, supprimer",
      upvote: "Voter pour",
      downvote: "Voter contre",
      edited: "modifié",
      removed: "Ce commentaire a été supprimé par son auteur.",
      removedAuthor: "Commentaire supprimé",
      guest: "Invité",
      ratedIt: "a donné {value}",
      moreReplies: ["{n} autre réponse", "{n} autres réponses"],
      evenMoreReplies: "Autres réponses",
      loadMore: "Plus de commentaires",
      noComments: "Aucun commentaire pour l’instant. Lancez la conversation.",
      closed: "Cette conversation est fermée aux nouveaux commentaires.",
      newComments: ["{n} nouveau commentaire — afficher", "{n} nouveaux commentaires — afficher"],
      shown: ["{n} commentaire affiché.", "{n} commentaires affichés."],
      posted: "Votre commentaire a été publié.",
      saved: "Enregistré.",
      showSpoiler: "Divulgâchage — afficher",
      hideSpoiler: "Masquer",
      spoilerComment: "Divulgâche l’intrigue — afficher",
    },
    es: {
      panel: "Reacciones de los lectores",
      loading: "Cargando reacciones…",
      failed: "No se pudieron cargar las reacciones: {error}",
      retry: "Reintentar",
      critics: ["Nuestro crítico", "Nuestros críticos"],
      noCritic: "Todavía no hay reseña de nuestros críticos.",
      criticsAverage: "Media de la crítica: {value}",
      audience: "Público",
      ratings: ["{n} valoración", "{n} valoraciones"],
      liked: "Al {percent} % le gustó",
      likedBand: "confianza del 95 %: {low}–{high} %",
      notEnough: "Aún no hay suficientes valoraciones ({n})",
      held: "Valoraciones de una avalancha en revisión, sin contar: {n}",
      histogram: "Cómo la valoraron los lectores",
      yourRating: "Tu valoración",
      rate: "Valora {film}",
      youRated: "Le diste {value}",
      stars: ["{n} estrella", "{n} estrellas"],
      points: "{n} de {max}",
      removeRating: "Quitar mi valoración",
      signInToRate: "Inicia sesión para guardar tu valoración.",
      comments: ["{n} comentario", "{n} comentarios"],
      spoilerNote: "Los spoilers siguen ocultos hasta que los muestres.",
      sortBy: "Ordenar por",
      best: "Mejores",
      top: "Más votados",
      new: "Más recientes",
      old: "Más antiguos",
      controversial: "Polémicos",
      signIn: "Iniciar sesión",
      signOut: "Cerrar sesión",
      signedInAs: "Sesión iniciada como {name}",
      orGuest: "o comenta como invitado",
      popupBlocked: "Permite ventanas emergentes para iniciar sesión.",
      yourComment: "Tu comentario",
      yourReply: "Tu respuesta a {name}",
      editComment: "Edita tu comentario",
      name: "Tu nombre",
      wholeSpoiler: "Todo el comentario es un spoiler",
      spoilerHelp: "Oculta una parte con >!spoiler!<.",
      post: "Publicar comentario",
      postReply: "Publicar respuesta",
      save: "Guardar cambios",
      cancel: "Cancelar",
      reply: "Responder",
      edit: "Editar",
      remove: "Eliminar",
      confirmRemove: "¿Eliminar este comentario? Sus respuestas se quedan.",
      yesRemove: "Sí, eliminarlo",
      upvote: "Voto a favor",
      downvote: "Voto en contra",
      edited: "editado",
      removed: "Su autor eliminó este comentario.",
      removedAuthor: "Comentario eliminado",
      guest: "Invitado",
      ratedIt: "le dio {value}",
      moreReplies: ["{n} respuesta más", "{n} respuestas más"],
      evenMoreReplies: "Más respuestas",
      loadMore: "Cargar más comentarios",
      noComments: "Todavía no hay comentarios. Empieza la conversación.",
      closed: "Esta conversación está cerrada a nuevos comentarios.",
      newComments: ["{n} comentario nuevo — mostrar", "{n} comentarios nuevos — mostrar"],
      shown: ["{n} comentario mostrado.", "{n} comentarios mostrados."],
      posted: "Tu comentario se publicó.",
      saved: "Guardado.",
      showSpoiler: "Spoiler — mostrar",
      hideSpoiler: "Ocultar spoiler",
      spoilerComment: "Contiene spoilers — mostrar",
    },
  };

  function pickLanguage(...candidates) {
    for (const candidate of candidates) {
      const code = (candidate || "").slice(0, 2).toLowerCase();
      if (STRINGS[code]) {
        return code;
      }
    }
    return "en";
  }

  function translator(lang) {
    const plural = new Intl.PluralRules(lang);
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const t = (key, vars = {}) => {
      let text = STRINGS[lang][key];
      if (Array.isArray(text)) {
        text = text[plural.select(vars.n) === "one" ? 0 : 1];
      }
      return text.replace(/\{(\w+)\}/g, (_, name) => (typeof vars[name] === "number" ? number.format(vars[name]) : vars[name]));
    };
    t.lang = lang;
    t.number = (value) => number.format(value);
    t.ago = (iso) => {
      const seconds = (new Date(iso) - Date.now()) / 1000;
      for (const [unit, size] of [["year", 31536e3], ["month", 2592e3], ["day", 86400], ["hour", 3600], ["minute", 60]]) {
        if (Math.abs(seconds) >= size) {
          return relative.format(Math.round(seconds / size), unit);
        }
      }
      return relative.format(0, "second");
    };
    return t;
  }

  // --- Small helpers

  // el("p", "muted", "text", node…) or el("button", {type, onclick}, …): never HTML, strings become text.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(typeof props === "string" ? { className: props } : props)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (/^(aria-|data-|role$|for$)/.test(key)) {
        node.setAttribute(key, value);
      } else {
        node[key] = value;
      }
    }
    node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
    return node;
  }

  function button(label, onclick, className = "") {
    return el("button", { type: "button", className, onclick }, label);
  }

  // Storage may be disabled (even naming it can throw): the panel then just remembers less.
  function readStore(kind, key) {
    try {
      return JSON.parse(window[kind].getItem(key));
    } catch {
      return null;
    }
  }

  function writeStore(kind, key, value) {
    try {
      window[kind].setItem(key, JSON.stringify(value));
    } catch {}
  }

  class ApiError extends Error {
    constructor(status, message, field) {
      super(message);
      this.status = status;
      this.field = field;
    }
  }

  // --- Who is writing: a signed-in reader, a guest, or nobody yet

  const auth = {
    reader: unexpired(readStore("sessionStorage", READER_KEY)), // {token, name, expires}
    guest: readStore("localStorage", GUEST_KEY) || {}, // {token, name}
    mine: new Set(readStore("localStorage", MINE_KEY) || []),
    listeners: new Set(),
    setReader(reader) {
      this.reader = reader;
      writeStore("sessionStorage", READER_KEY, reader);
      this.listeners.forEach((listener) => listener());
    },
    remember(commentId) {
      this.mine.add(commentId);
      writeStore("localStorage", MINE_KEY, [...this.mine].slice(-200));
    },
    saveGuest(changes) {
      Object.assign(this.guest, changes);
      writeStore("localStorage", GUEST_KEY, this.guest);
    },
  };

  function unexpired(reader) {
    return reader && reader.expires > Date.now() ? reader : null;
  }

  function signedIn(answer) {
    const user = answer.user || {};
    auth.setReader({ token: answer.token, name: user.name || user.username || "", expires: Date.now() + answer.expires_in * 1000 });
  }

  // Reads carry no credentials, so they need no CORS preflight; writes carry a token. Never a cookie.
  async function request(path, { method = "GET", body, write = false } = {}) {
    const url = new URL(API + path);
    url.searchParams.set("site", SITE);
    const headers = {};
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (write && auth.reader) {
      headers.Authorization = "Bearer " + auth.reader.token;
    } else if (write && auth.guest.token) {
      headers["X-Talkies-Guest-Token"] = auth.guest.token;
    }
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
    const data = await response.json().catch(() => null);
    if (response.status === 401 && auth.reader && write) {
      auth.setReader(null); // expired: the panel offers to sign in again
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || response.status + " " + response.statusText, data && data.field);
    }
    return data;
  }

  // The popup is first-party, so its cookies work; it posts back a short-lived token. Only our origin counts.
  function signIn() {
    const url = new URL("/embed/login/", ORIGIN);
    url.search = new URLSearchParams({ site: SITE, origin: location.origin });
    const popup = window.open(url.href, "talkies-login", "popup,width=480,height=640");
    if (!popup) {
      return Promise.reject(new ApiError(0, "popup-blocked"));
    }
    return new Promise((resolve) => {
      function onMessage(event) {
        if (event.origin !== ORIGIN || !event.data || event.data.type !== "talkies:login" || !event.data.token) {
          return;
        }
        window.removeEventListener("message", onMessage);
        signedIn(event.data);
        resolve();
      }
      window.addEventListener("message", onMessage);
    });
  }

  // A site with its own accounts signs its reader on its server (data-sso): no popup needed.
  function signInWithSso(sso) {
    if (sso && !auth.reader) {
      request("/embed/sso", { method: "POST", body: { sso } }).then(signedIn, () => {});
    }
  }

  // --- Spoilers

  // <span class="spoiler" data-spoiler>: its text goes behind `hidden` (for eyes and screen readers alike)
  // with a button that reveals it and moves focus onto it.
  function armInlineSpoilers(root, t) {
    for (const spoiler of root.querySelectorAll("span.spoiler[data-spoiler]")) {
      const text = el("span", { className: "spoiler-text", hidden: true, tabIndex: -1 });
      text.append(...spoiler.childNodes);
      const toggle = el("button", { type: "button", className: "spoiler-toggle", "aria-expanded": "false" }, t("showSpoiler"));
      toggle.onclick = () => {
        const reveal = text.hidden;
        text.hidden = !reveal;
        toggle.setAttribute("aria-expanded", reveal);
        toggle.textContent = t(reveal ? "hideSpoiler" : "showSpoiler");
        if (reveal) {
          text.focus();
        }
      };
      spoiler.append(toggle, text);
    }
  }

  function commentBody(comment, t) {
    const body = el("div", { className: "body", tabIndex: -1 });
    // A <template> parses without running or fetching anything, and spoilers are armed before it shows.
    const template = document.createElement("template");
    template.innerHTML = comment.body_html; // sanitised by nh3 on the server
    armInlineSpoilers(template.content, t);
    body.append(template.content);
    if (!comment.is_spoiler) {
      return body;
    }
    const details = el("details", "spoiler-comment", el("summary", "", t("spoilerComment")), body);
    details.addEventListener("toggle", () => details.open && body.focus());
    return details;
  }

  // data-theme="light" or "dark"; "auto" (the default) follows the system.
  function followTheme(panel, theme) {
    const dark = matchMedia("(prefers-color-scheme: dark)");
    const apply = () => panel.classList.toggle("dark", theme === "dark" || (theme !== "light" && dark.matches));
    dark.addEventListener("change", apply);
    apply();
  }

  // --- The panel

  function mount(host) {
    const options = { ...script.dataset, ...host.dataset };
    const t = translator(pickLanguage(options.lang, document.documentElement.lang));
    const root = host.shadowRoot || host.attachShadow({ mode: "open" });
    const state = { thread: null, film: null, scores: null, sort: options.sort, cursor: null, nodes: new Map(), pending: [], votes: new Map() };

    const status = el("p", { className: "sr", role: "status", "aria-live": "polite" });
    const panel = el("section", { className: "panel", "aria-label": t("panel"), lang: t.lang }, el("p", "muted", t("loading")));
    root.replaceChildren(el("style", "", CSS), panel, status);
    followTheme(panel, options.theme);
    // Signing in or out (here, or in another panel on the page) changes what every form asks for.
    auth.listeners.add(() => panel.querySelectorAll(".account, form.composer").forEach((node) => node.draw()));

    const announce = (text) => {
      status.textContent = "";
      // Screen readers announce a change reliably only after the region was cleared.
      setTimeout(() => (status.textContent = text), 50);
    };

    const messageOf = (error) => (error.message === "popup-blocked" ? t("popupBlocked") : error.message);

    async function load() {
      try {
        state.thread = await resolveThread(options);
        state.film = state.thread.film;
        state.sort = state.sort || state.thread.default_sort;
        const [scores, page] = await Promise.all([
          state.film ? request(`/films/${state.film.slug}/scores`).catch(() => null) : null, // the thread still shows
          request(commentsPath()),
        ]);
        state.scores = scores;
        render(page);
        performance.mark("talkies:panel-rendered");
        listen();
      } catch (error) {
        panel.replaceChildren(el("p", { role: "alert" }, t("failed", { error: error.message })), button(t("retry"), load, "button"));
      }
    }

    function commentsPath(cursor) {
      const query = new URLSearchParams({ sort: state.sort, limit: 20 });
      if (cursor) {
        query.set("cursor", cursor);
      }
      return `/threads/${state.thread.id}/comments?${query}`;
    }

    // --- Scores and the rating widget

    function scoreLabel(value, scale) {
      return scale === 5 ? t("stars", { n: value }) : t("points", { n: value, max: scale });
    }

    function criticCard() {
      const critic = state.scores.critic;
      const card = el("div", "card", el("h3", "", t("critics", { n: critic.reviews.length })));
      for (const review of critic.reviews) {
        card.append(el("p", "big", review.score_text), el("p", "muted", review.critic_name));
      }
      if (!critic.reviews.length) {
        card.append(el("p", "muted", t("noCritic")));
      }
      if (critic.average !== null) {
        const scale = state.scores.audience.display.scale;
        const value = Math.round((critic.average / 100) * scale * 10) / 10;
        card.append(el("p", "", t("criticsAverage", { value: t.number(value) + "/" + scale })));
      }
      return card;
    }

    function audienceCard() {
      const audience = state.scores.audience;
      const scale = audience.display.scale;
      const card = el("div", "card audience", el("h3", "", t("audience")));
      if (!audience.enough) {
        card.append(el("p", "", t("notEnough", { n: audience.count })));
      } else {
        const percent = (share) => Math.round(share * 100);
        card.append(
          el("p", "big", t.number(audience.display.bayesian), el("span", "muted", "/" + scale)),
          el("p", "", t("ratings", { n: audience.count })),
          el("p", "", el("strong", "", t("liked", { percent: percent(audience.liked_share) })), " ",
            el("span", "muted", "(" + t("likedBand", { low: percent(audience.liked_low), high: percent(audience.liked_high) }) + ")")),
          histogram(audience, scale),
        );
      }
      if (audience.held) {
        card.append(el("p", { className: "muted", role: "note" }, t("held", { n: audience.held })));
      }
      return card;
    }

    function histogram(audience, scale) {
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

    // Ten native radios drawn as half stars: the browser gives the arrow keys, labels name each value.
    function ratingCard() {
      const scale = state.scores.audience.display.scale;
      const legend = el("legend", "", t("rate", { film: state.film.title }));
      const stars = el("div", "stars");
      const message = el("p", { className: "muted", "aria-live": "polite" });
      const removeButton = button(t("removeRating"));
      removeButton.hidden = true;
      const name = "rating-" + state.thread.id;
      let pending;
      const paint = (value) => stars.querySelectorAll("label").forEach((label, index) => label.classList.toggle("on", index < value));
      const show = (rating) => {
        const value = rating ? rating.value : 0;
        stars.querySelectorAll("input").forEach((input) => (input.checked = Number(input.value) === value));
        paint(value);
        legend.textContent = rating ? t("youRated", { value: scoreLabel(rating.display_value, scale) }) : t("rate", { film: state.film.title });
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
          el("span", "sr", scoreLabel((value * scale) / 10, scale)));
        label.onmouseenter = () => paint(value);
        stars.append(input, label);
      }
      stars.onmouseleave = () => paint(Number((stars.querySelector("input:checked") || {}).value || 0));

      async function save(value) {
        if (!auth.reader) {
          message.textContent = t("signInToRate");
          try {
            await signIn();
          } catch {
            message.textContent = t("popupBlocked");
            return;
          }
        }
        try {
          const change = await request(`/films/${state.film.slug}/rating`, { method: "PUT", body: { value, scale: 10 }, write: true });
          show(change.rating);
          updateAudience(change.audience);
          message.textContent = t("saved");
        } catch (error) {
          message.textContent = error.message;
        }
      }
      removeButton.onclick = async () => {
        try {
          const change = await request(`/films/${state.film.slug}/rating`, { method: "DELETE", write: true });
          show(null);
          updateAudience(change.audience);
          stars.querySelector("input").focus();
        } catch (error) {
          message.textContent = error.message;
        }
      };
      if (auth.reader) {
        request(`/films/${state.film.slug}/rating`, { write: true }).then(show, () => {});
      }
      return el("div", "card rating", el("h3", "", t("yourRating")), el("fieldset", "", legend, stars), removeButton, message);
    }

    function updateAudience(audience) {
      state.scores.audience = audience;
      panel.querySelector(".audience").replaceWith(audienceCard());
    }

    // --- Account bar

    function accountBar() {
      const bar = el("div", "account");
      const draw = () => {
        if (auth.reader) {
          bar.replaceChildren(el("span", "", t("signedInAs", { name: auth.reader.name })), " ",
            button(t("signOut"), () => auth.setReader(null)));
        } else {
          bar.replaceChildren(button(t("signIn"), () => signIn().catch(() => announce(t("popupBlocked"))), "button"), state.thread.allow_guests === false ? "" : el("span", "muted", " " + t("orGuest")));
        }
      };
      bar.draw = draw;
      draw();
      return bar;
    }

    // --- Writing: one composer serves new comments, replies and edits

    function composer({ parent = null, editing = null, onDone }) {
      const form = el("form", "composer");
      const label = editing ? t("editComment") : parent ? t("yourReply", { name: parent.author_name || t("guest") }) : t("yourComment");
      const uid = "c" + Math.random().toString(36).slice(2, 8);
      const body = el("textarea", { id: uid + "-body", name: "body", required: true, rows: parent || editing ? 3 : 4, "aria-describedby": uid + "-hint" });
      body.value = editing ? editing.source : "";
      const nameInput = el("input", { id: uid + "-name", name: "guest_name", autocomplete: "nickname", maxLength: 80, value: auth.guest.name || "" });
      const nameField = el("p", "field", el("label", { for: nameInput.id }, t("name")), nameInput);
      const spoiler = el("input", { type: "checkbox", id: uid + "-spoiler", checked: editing ? editing.is_spoiler : false });
      const error = el("p", { className: "error", role: "alert" });
      const submit = el("button", { type: "submit", className: "button" }, t(editing ? "save" : parent ? "postReply" : "post"));
      const actions = el("p", "actions", submit);
      if (onDone) {
        actions.append(" ", button(t("cancel"), () => onDone(null)));
      }
      form.append(
        el("p", "field", el("label", { for: body.id }, label), body, el("span", { className: "muted small hint", id: uid + "-hint" }, t("spoilerHelp"))),
        nameField,
        el("p", "", spoiler, " ", el("label", { for: spoiler.id }, t("wholeSpoiler"))),
        error,
        actions,
      );
      form.draw = () => {
        nameField.hidden = Boolean(auth.reader || editing || state.thread.allow_guests === false);
        nameInput.required = !nameField.hidden;
      };
      form.draw();
      form.onsubmit = async (event) => {
        event.preventDefault();
        error.textContent = "";
        form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
        submit.disabled = true;
        try {
          const payload = { body: body.value, is_spoiler: spoiler.checked };
          let saved;
          if (editing) {
            saved = await request(`/comments/${editing.id}`, { method: "PATCH", body: payload, write: true });
          } else {
            payload.parent_id = parent ? parent.id : null;
            await ensureWriter();
            if (!auth.reader) {
              auth.saveGuest({ name: nameInput.value });
              Object.assign(payload, { guest_name: nameInput.value, guest_token: auth.guest.token });
            }
            saved = await request(`/threads/${state.thread.id}/comments`, { method: "POST", body: payload, write: true });
            auth.remember(saved.id);
          }
          saved.source = body.value; // the API never returns markdown: keep it for an edit
          body.value = "";
          (onDone || added)(saved);
        } catch (failure) {
          error.textContent = messageOf(failure);
          const field = failure.field === "guest_name" ? nameInput : body;
          field.setAttribute("aria-invalid", "true");
          field.focus();
        } finally {
          submit.disabled = false;
        }
      };
      return form;
    }

    function added(comment) {
      insert(comment, true);
      announce(t("posted"));
    }

    // --- Comments

    function commentNode(comment) {
      const item = el("li", { className: "comment", "data-id": comment.id });
      const article = el("article", { tabIndex: -1, "aria-labelledby": "a" + comment.id });
      item.append(article);
      state.nodes.set(comment.id, { item, comment });
      fillArticle(item, comment);
      const replies = el("ol", "replies");
      item.append(replies);
      for (const reply of comment.replies || []) {
        replies.append(commentNode(reply));
      }
      if (comment.more_replies) {
        item.append(moreRepliesButton(comment, replies, comment.more_replies_cursor, t("moreReplies", { n: comment.more_replies })));
      }
      return item;
    }

    function fillArticle(item, comment) {
      const article = item.firstChild;
      const removed = comment.status === "removed" || comment.author_name === null;
      const header = el("header", "",
        el("strong", { id: "a" + comment.id, className: removed ? "muted" : "" }, removed ? t("removedAuthor") : comment.author_name || t("guest")));
      if (comment.author_rating && !removed) {
        const scale = state.scores ? state.scores.audience.display.scale : 10;
        const value = scoreLabel((comment.author_rating * scale) / 10, scale);
        header.append(" ", el("span", "badge", t("ratedIt", { value })));
      }
      header.append(" ", el("time", { className: "muted", dateTime: comment.created_at, title: new Date(comment.created_at).toLocaleString(t.lang) }, t.ago(comment.created_at)));
      if (comment.edited_at) {
        header.append(" ", el("span", "muted", t("edited")));
      }
      const body = removed ? el("p", "body muted", el("em", "", t("removed"))) : commentBody(comment, t);
      article.replaceChildren(header, body);
      if (!removed) {
        article.append(actions(item, comment));
      }
      item.classList.toggle("removed", removed);
    }

    function voteButton(comment, value, counts) {
      const mine = state.votes.get(comment.id) === value;
      const button = el("button", { type: "button", className: "vote", "aria-pressed": String(mine) },
        el("span", { "aria-hidden": "true" }, value > 0 ? "▲" : "▼"),
        el("span", "sr", t(value > 0 ? "upvote" : "downvote")),
        " " + (value > 0 ? counts.upvotes : counts.downvotes));
      button.onclick = async () => {
        try {
          await ensureWriter();
          const result = await request(`/comments/${comment.id}/vote`, { method: "POST", body: { value: mine ? 0 : value }, write: true });
          state.votes.set(comment.id, result.your_vote);
          applyVotes(comment.id, result);
          state.nodes.get(comment.id).item.querySelector(`:scope > article .vote:nth-of-type(${value > 0 ? 1 : 2})`).focus();
        } catch (error) {
          announce(messageOf(error));
        }
      };
      return button;
    }

    // Writing needs an identity: a signed-in account, else a guest token where the site takes guests.
    async function ensureWriter() {
      if (auth.reader || auth.guest.token) {
        return;
      }
      if (state.thread.allow_guests !== false) {
        try {
          const { guest_token: token } = await request("/guest-token", { method: "POST" });
          auth.saveGuest({ token });
          return;
        } catch (error) {
          if (error.field !== "guest_token") {
            throw error;
          }
          state.thread.allow_guests = false; // this site wants accounts: the popup it is
        }
      }
      await signIn();
    }

    function isMine(comment) {
      return auth.mine.has(comment.id) || Boolean(auth.reader && auth.reader.name && auth.reader.name === comment.author_name);
    }

    function actions(item, comment) {
      const footer = el("footer", "", voteButton(comment, 1, comment), " ", voteButton(comment, -1, comment));
      if (!state.thread.is_closed) {
        const reply = button(t("reply"), () => openReply(item, comment, reply));
        reply.setAttribute("aria-expanded", "false");
        footer.append(" ", reply);
      }
      if (isMine(comment)) {
        if (Date.now() - new Date(comment.created_at) < EDIT_WINDOW_MS) {
          footer.append(" ", button(t("edit"), () => openEdit(item, comment)));
        }
        footer.append(" ", button(t("remove"), () => confirmRemoval(item, comment, footer)));
      }
      return footer;
    }

    function openReply(item, comment, toggle) {
      const open = item.querySelector(":scope > form.composer");
      if (open) {
        open.remove();
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
        return;
      }
      const form = composer({
        parent: comment,
        onDone: (reply) => {
          form.remove();
          toggle.setAttribute("aria-expanded", "false");
          if (reply) {
            insert(reply, true);
            announce(t("posted"));
          } else {
            toggle.focus();
          }
        },
      });
      item.firstChild.after(form);
      toggle.setAttribute("aria-expanded", "true");
      form.querySelector("textarea").focus();
    }

    function openEdit(item, comment) {
      const article = item.firstChild;
      const body = article.querySelector(".body, details");
      // The markdown if this browser wrote it, else the text.
      const source = comment.source || (body.querySelector(".body") || body).textContent.trim();
      const form = composer({
        editing: { ...comment, source },
        onDone: (saved) => {
          form.replaceWith(body);
          if (saved) {
            Object.assign(comment, saved);
            fillArticle(item, comment);
            announce(t("saved"));
          }
          article.focus();
        },
      });
      body.replaceWith(form);
      form.querySelector("textarea").focus();
    }

    function confirmRemoval(item, comment, footer) {
      const question = el("p", { className: "confirm", role: "group", "aria-label": t("remove") }, t("confirmRemove"), " ");
      const yes = button(t("yesRemove"), async () => {
        try {
          const removed = await request(`/comments/${comment.id}`, { method: "DELETE", write: true });
          removeComment(comment.id, removed.reply_count > 0);
          announce(t("removed"));
        } catch (error) {
          announce(error.message);
        }
      }, "button danger");
      const no = button(t("cancel"), () => {
        question.remove();
        footer.hidden = false;
        footer.querySelector("button:last-child").focus();
      });
      question.append(yes, " ", no);
      footer.hidden = true;
      footer.after(question);
      yes.focus();
    }

    function removeComment(id, hasReplies) {
      const node = state.nodes.get(id);
      if (!node) {
        return;
      }
      if (hasReplies) {
        node.comment.status = "removed";
        fillArticle(node.item, node.comment);
      } else {
        node.item.remove();
        state.nodes.delete(id);
      }
    }

    function applyVotes(id, counts) {
      const node = state.nodes.get(id);
      if (!node) {
        return;
      }
      Object.assign(node.comment, { upvotes: counts.upvotes, downvotes: counts.downvotes });
      const footer = node.item.querySelector(":scope > article > footer");
      if (footer) {
        footer.querySelectorAll(".vote").forEach((button, index) => button.replaceWith(voteButton(node.comment, index ? -1 : 1, node.comment)));
      }
    }

    function moreRepliesButton(comment, list, cursor, label) {
      const more = button(label, async () => {
        more.disabled = true;
        try {
          const page = await request(`/comments/${comment.id}/replies?cursor=${encodeURIComponent(cursor)}&limit=20`);
          const fresh = page.replies.filter((reply) => !state.nodes.has(reply.id)).map(commentNode);
          list.append(...fresh);
          more.replaceWith(page.next_cursor ? moreRepliesButton(comment, list, page.next_cursor, t("evenMoreReplies")) : "");
          if (fresh[0]) {
            fresh[0].firstChild.focus(); // keyboard users continue from there
          }
        } catch (error) {
          more.disabled = false;
          announce(error.message);
        }
      });
      return more;
    }

    // A top-level comment goes first; a reply under its parent, when that is on the page.
    function insert(comment, focus) {
      if (state.nodes.has(comment.id)) {
        return null;
      }
      const parent = comment.parent_id && state.nodes.get(comment.parent_id);
      if (comment.parent_id && !parent) {
        return null; // "more replies" will show it
      }
      const item = commentNode(comment);
      if (parent) {
        parent.item.querySelector(":scope > .replies").append(item);
      } else {
        const list = panel.querySelector("ol.comments");
        list.prepend(item);
        panel.querySelector(".empty").hidden = true;
      }
      state.pending = state.pending.filter((waiting) => waiting.id !== comment.id);
      updateLiveBar();
      if (focus) {
        item.firstChild.focus();
      }
      return item;
    }

    // --- The thread as a whole

    function sortControl() {
      const select = el("select", { id: "sort-" + state.thread.id });
      for (const sort of ["best", "top", "new", "old", "controversial"]) {
        select.append(el("option", { value: sort, selected: sort === state.sort }, t(sort)));
      }
      select.onchange = async () => {
        state.sort = select.value;
        const page = await request(commentsPath());
        state.nodes.clear();
        fillList(page, true);
      };
      return el("p", "sort", el("label", { for: select.id }, t("sortBy")), " ", select);
    }

    function fillList(page, replace) {
      const list = panel.querySelector("ol.comments");
      const items = page.comments.filter((comment) => !state.nodes.has(comment.id)).map(commentNode);
      if (replace) {
        list.replaceChildren(...items);
      } else {
        list.append(...items);
      }
      panel.querySelector(".empty").hidden = list.children.length > 0;
      const more = panel.querySelector(".load-more");
      more.hidden = !page.next_cursor;
      state.cursor = page.next_cursor;
      return items;
    }

    function render(page) {
      const thread = state.thread;
      const count = el("h2", "count", t("comments", { n: page.comment_count }));
      const loadMore = el("button", { type: "button", className: "button load-more", hidden: true }, t("loadMore"));
      loadMore.onclick = async () => {
        loadMore.disabled = true;
        try {
          const items = fillList(await request(commentsPath(state.cursor)), false);
          if (items[0]) {
            items[0].firstChild.focus();
          }
        } catch (error) {
          announce(error.message);
        } finally {
          loadMore.disabled = false;
        }
      };
      const liveButton = el("button", { type: "button", className: "button live", hidden: true, onclick: showPending });
      const scores = state.scores ? el("div", "scores", criticCard(), audienceCard(), ratingCard()) : "";
      panel.replaceChildren(
        el("h2", "sr", t("panel")), // the cards' headings need one above them
        scores,
        count,
        el("p", "muted small", t("spoilerNote")),
        accountBar(),
        thread.is_closed ? el("p", "notice", t("closed")) : composer({}),
        page.comments.length ? sortControl() : "",
        liveButton,
        el("p", "muted empty", t("noComments")),
        el("ol", "comments"),
        loadMore,
      );
      fillList(page, true);
    }

    // --- Live updates: new comments wait behind a button, so nothing moves under the reader's eyes

    function updateLiveBar() {
      const button = panel.querySelector(".live");
      const waiting = state.pending.length;
      button.hidden = waiting === 0;
      button.textContent = t("newComments", { n: waiting });
    }

    function showPending() {
      const comments = state.pending.splice(0);
      const items = comments.map((comment) => insert(comment, false)).filter(Boolean);
      updateLiveBar();
      announce(t("shown", { n: items.length }));
      if (items[0]) {
        items[0].firstChild.focus();
      }
    }

    function listen() {
      if (!window.EventSource || state.source) {
        return;
      }
      // EventSource reconnects with Last-Event-ID, and the server replays what was missed.
      const source = new EventSource(`${ORIGIN}/live/threads/${state.thread.id}/?site=${encodeURIComponent(SITE)}`);
      state.source = source;
      const on = (kind, handle) => source.addEventListener(kind, (event) => handle(JSON.parse(event.data)));
      on("comment.created", ({ comment }) => {
        if (!state.nodes.has(comment.id) && !state.pending.some((waiting) => waiting.id === comment.id)) {
          state.pending.push(comment);
          updateLiveBar();
          announce(t("newComments", { n: state.pending.length }));
        }
      });
      on("comment.edited", ({ comment }) => {
        const node = state.nodes.get(comment.id);
        if (node) {
          Object.assign(node.comment, comment);
          fillArticle(node.item, node.comment);
        }
      });
      on("comment.removed", (data) => removeComment(data.id, data.has_replies));
      on("comment.voted", (data) => applyVotes(data.id, data));
      on("reload", () => {
        // The page fell further behind than the server's event log reaches: start again from the top.
        source.close();
        state.source = null;
        load();
      });
    }

    signInWithSso(options.sso);
    load();
  }

  // Found, or created on first use, by canonical URL or data-thread; the server normalises the URL.
  function resolveThread(options) {
    const query = new URLSearchParams({ url: canonicalUrl(), title: document.title.slice(0, 300) });
    for (const name of ["thread", "film"]) {
      if (options[name]) {
        query.set(name, options[name]);
      }
    }
    return request(`/embed/threads?${query}`);
  }

  function canonicalUrl() {
    const link = document.querySelector('link[rel="canonical"]');
    return link ? link.href : location.href;
  }

  // The host's --talkies-* custom properties inherit into the shadow root.
  const CSS = `
:host{display:block;min-height:24rem;font:16px/1.5 var(--talkies-font,system-ui,sans-serif)}
.panel{--fg:var(--talkies-fg,#1d1d1f);--bg:var(--talkies-bg,#fff);--muted:var(--talkies-muted,#5c5f66);--accent:var(--talkies-accent,#b3261e);
--on-accent:var(--talkies-on-accent,#fff);--line:var(--talkies-line,#d9dbe0);--card:var(--talkies-card,#f4f4f6);--off:#a3a7ae;
background:var(--bg);color:var(--fg);color-scheme:light;padding:1rem;border-radius:.5rem}
.dark{--fg:var(--talkies-fg,#ececf1);--bg:var(--talkies-bg,#16181d);--muted:var(--talkies-muted,#a9adb6);--accent:var(--talkies-accent,#ff8a80);
--on-accent:var(--talkies-on-accent,#16181d);--line:var(--talkies-line,#3a3d45);--card:var(--talkies-card,#22252c);--off:#6b7079;color-scheme:dark}
*{box-sizing:border-box}p{margin:.25rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .25rem}
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;margin:0 0 .5rem;color:var(--muted)}
.muted{color:var(--muted)}.small{font-size:.875rem}.big{font-size:2rem;font-weight:700;line-height:1.1}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.scores{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}.card{background:var(--card);border-radius:.5rem;padding:.75rem 1rem}
table{width:100%;font-size:.8rem}th{font-weight:400;text-align:right;width:2.5rem}
.track{display:inline-block;width:75%;height:.5rem;background:var(--line)}.bar{display:block;height:100%;background:var(--accent)}
fieldset{border:0;padding:0;margin:0}.stars{display:flex}.half{width:.9rem;height:1.8rem;cursor:pointer;background:var(--off)}.on{background:var(--accent)}
.left{clip-path:polygon(.9rem .13rem,.9rem 1.34rem,.42rem 1.61rem,.53rem 1.07rem,.13rem .7rem,.67rem .63rem)}
.right{clip-path:polygon(0 .13rem,.23rem .63rem,.77rem .7rem,.37rem 1.07rem,.48rem 1.61rem,0 1.34rem)}
input:focus-visible+label{outline:2px solid var(--fg);clip-path:none}
button,input,select,textarea{font:inherit;color:inherit}
button{background:none;border:0;color:var(--fg);text-decoration:underline;padding:.2rem .3rem;cursor:pointer}
.button{background:var(--accent);color:var(--on-accent);text-decoration:none;border-radius:.35rem;padding:.4rem .9rem}.danger{background:#a0161b;color:#fff}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.field label{display:block;font-weight:600}textarea,input:not([type]),select{width:100%;max-width:40rem;background:var(--bg);border:1px solid var(--muted);border-radius:.35rem;padding:.4rem}select{width:auto}
.hint{display:block}li>form{margin-left:1rem}.error{color:var(--accent);font-weight:600}.error:empty{display:none}
ol{list-style:none;margin:0;padding:0}.replies{margin-left:1rem;padding-left:.75rem;border-left:2px solid var(--line)}.replies .replies .replies{margin-left:0}
article{padding:.75rem 0;border-top:1px solid var(--line)}header{font-size:.9rem}.badge{font-size:.8rem;background:var(--card);border-radius:1rem;padding:0 .5rem}
.body a{color:inherit}footer{display:flex;flex-wrap:wrap;gap:.25rem;font-size:.9rem}
.vote{border:1px solid var(--line);border-radius:1rem;text-decoration:none;padding:.1rem .6rem}.vote[aria-pressed=true]{border-color:var(--accent);color:var(--accent)}
.spoiler-toggle{background:var(--fg);color:var(--bg);text-decoration:none;border-radius:.25rem;padding:0 .4rem;font-size:.85em}
.spoiler-text{background:var(--card)}summary{cursor:pointer;font-weight:600}.live{position:sticky;top:.5rem;z-index:1;margin:.5rem 0}.notice{padding:.5rem;background:var(--card)}
`;

  // --- Start: each placeholder mounts when it comes within ~600px of the viewport

  function start() {
    const hosts = [...document.querySelectorAll("[data-talkies]")].filter((host) => !host.dataset.talkiesMounted);
    const near = window.IntersectionObserver
      ? new IntersectionObserver((entries) => entries.forEach((entry) => entry.isIntersecting && (near.unobserve(entry.target), mount(entry.target))), { rootMargin: "600px" })
      : null;
    for (const host of hosts) {
      host.dataset.talkiesMounted = "";
      if (!host.style.minHeight) {
        host.style.minHeight = "24rem"; // reserve room now: no layout shift later
      }
      near ? near.observe(host) : mount(host);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
