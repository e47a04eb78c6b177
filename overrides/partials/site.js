// Inlined into every page's head by overrides/main.html; runs before the theme's bundle.

// 1. The search index is fetched when the reader opens search, not with every page: the
//    theme requests it at start-up; its request waits here until search is wanted.
(() => {
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const waiting = [];
  let wanted = false;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.forSearchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.forSearchIndex && !wanted) {
      waiting.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };
  const want = () => {
    if (!wanted) {
      wanted = true;
      waiting.splice(0).forEach((go) => go());
    }
  };
  const isSearch = (el) => el instanceof Element && el.closest(".md-search, [for='__search']");
  document.addEventListener("focusin", (e) => isSearch(e.target) && want());
  document.addEventListener("pointerdown", (e) => isSearch(e.target) && want());
  document.addEventListener("keydown", (e) => ["/", "s", "f"].includes(e.key) && want());
})();

// 2. Accessible names the theme leaves out: the search dialog, and the toolbar that each
//    code block gets (several unnamed toolbars are indistinguishable landmarks).
document.addEventListener("DOMContentLoaded", () => {
  const name = () => {
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((el) =>
      el.setAttribute("aria-label", "Search"),
    );
    document.querySelectorAll("nav.md-code__nav:not([aria-label])").forEach((el) => {
      const block = el.closest(".highlight");
      const title = block && block.querySelector(".filename");
      el.setAttribute("aria-label", `Code block ${title ? title.textContent : ""} tools`.replace("  ", " "));
    });
  };
  name();
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
});
