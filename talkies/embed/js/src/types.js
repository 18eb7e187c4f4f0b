// @ts-check
// The shapes the embed reads from the API (docs/api.md, docs/embedding-api.md) and shares between its
// parts. Types only: nothing here reaches the built file.

/**
 * A comment as the thread endpoints give it. The permission fields are the server's word on what this
 * reader may do; servers that predate them leave them out, and the embed then guesses (permissions.js).
 * @typedef {object} Comment
 * @property {number} id
 * @property {number | null} [parent_id]
 * @property {string | null} author_name null once removed
 * @property {number | null} [author_rating]
 * @property {string} body_html sanitised by the server
 * @property {boolean} is_spoiler
 * @property {string} status approved; removed; rejected (someone else's: a placeholder); to its author
 *   only, pending or rejected
 * @property {string} created_at
 * @property {string | null} [edited_at]
 * @property {number} upvotes
 * @property {number} downvotes
 * @property {number} [reply_count]
 * @property {Comment[]} [replies]
 * @property {number} [more_replies]
 * @property {string} [more_replies_cursor]
 * @property {boolean} [can_edit]
 * @property {boolean} [can_remove]
 * @property {boolean} [can_report]
 * @property {string | null} [editable_until]
 * @property {string | null} [moderation_notice] on the reader's own pending or rejected comment: why
 * @property {string} [source] the markdown this browser wrote, kept for an edit (the API never returns it)
 */

/**
 * @typedef {object} Thread
 * @property {number} id
 * @property {boolean} is_closed
 * @property {boolean} [allow_guests]
 * @property {string} default_sort
 * @property {{slug: string, title: string} | null} film
 */

/**
 * @typedef {object} CommentsPage
 * @property {Comment[]} comments
 * @property {number} comment_count
 * @property {string | null} next_cursor
 */

/**
 * @typedef {object} Audience
 * @property {boolean} enough
 * @property {number} count
 * @property {number} held
 * @property {number[]} histogram
 * @property {number} liked_share
 * @property {number} liked_low
 * @property {number} liked_high
 * @property {{scale: number, bayesian: number}} display
 */

/**
 * @typedef {object} Scores
 * @property {{reviews: {score_text: string, critic_name: string}[], average: number | null}} critic
 * @property {Audience} audience
 */

/**
 * @typedef {object} Rating
 * @property {number} value
 * @property {number} display_value
 */

/** A comment on the page: its list item and the comment it shows. */
/** @typedef {{item: HTMLElement, comment: Comment}} CommentNode */

/** An element that redraws itself when the reader signs in or out. */
/** @typedef {HTMLElement & {draw: () => void}} Drawable */

/**
 * What one panel knows; `thread` is set by the first load, before anything reads it.
 * @typedef {object} State
 * @property {Thread} thread
 * @property {Thread["film"]} film
 * @property {Scores | null} scores
 * @property {string} sort the order chosen, else (once loaded) the thread's default
 * @property {string | null} cursor
 * @property {Map<number, CommentNode>} nodes
 * @property {Comment[]} pending comments from the live stream waiting behind the "new comments" button
 * @property {Map<number, number>} votes
 * @property {EventSource | null} source
 */

/**
 * What every part of one panel shares.
 * @typedef {object} Context
 * @property {string} origin Talkies' origin, where the script came from
 * @property {string} site
 * @property {import("./i18n/index.js").Translator} t
 * @property {State} state
 * @property {HTMLElement} panel
 * @property {(text: string) => void} announce
 * @property {import("./api.js").Request} request
 * @property {import("./auth.js").Auth} auth
 * @property {() => Promise<void>} signIn
 */

export {};
