// @ts-check
// Building elements. The only HTML the embed parses is a comment's body_html (thread.js); everything
// made here is set as text or as properties.

/** @typedef {Node | string | null | undefined | false} Child */

/**
 * el("p", "muted", "text", node…) or el("button", {type, onclick}, …): never HTML, strings become text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string | Record<string, unknown>} props a class name, or properties and attributes
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(typeof props === "string" ? { className: props } : props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (/^(aria-|data-|role$|for$)/.test(key)) {
      node.setAttribute(key, String(value));
    } else {
      /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[key] = value;
    }
  }
  node.append(.../** @type {(Node | string)[]} */ (children.filter((child) => child !== null && child !== undefined && child !== false)));
  return node;
}

/**
 * @param {string} label
 * @param {((this: GlobalEventHandlers, event: MouseEvent) => unknown) | null} [onclick]
 * @param {string} [className]
 */
export function button(label, onclick = null, className = "") {
  return el("button", { type: "button", className, onclick }, label);
}

/**
 * The article of a comment's list item, which is always its first child.
 * @param {Element} item
 * @returns {HTMLElement}
 */
export function articleOf(item) {
  return /** @type {HTMLElement} */ (item.firstElementChild);
}

/**
 * data-theme="light" or "dark"; "auto" (the default) follows the system.
 * @param {HTMLElement} panel
 * @param {string | undefined} theme
 */
export function followTheme(panel, theme) {
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const apply = () => panel.classList.toggle("dark", theme === "dark" || (theme !== "light" && dark.matches));
  dark.addEventListener("change", apply);
  apply();
}
