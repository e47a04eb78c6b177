// Inlined into every page's head by overrides/main.html; runs before the theme's bundle.

// 0. The page says it runs scripts before its body is parsed. The theme's bundle swaps
//    "no-js" for "js" at the end of the page, and that swap made every element's style be
//    computed again.
document.documentElement.classList.replace("no-js", "js");
// The same for the focus-visible script in the bundle, which marks the page as it starts.
document.documentElement.classList.add("js-focus-visible");
document.documentElement.setAttribute("data-js-focus-visible", "");

// The theme's bundle adds a <meta name="color-scheme"> to the head at start-up, then fills it
// in from the header's style: each step made the browser restyle the whole page. The page's
// scheme comes from the stylesheet instead (extra.css: the root follows the palette), and
// the bundle's element is kept out of the head.
(() => {
  const append = document.head.appendChild;
  document.head.appendChild = function (node) {
    if (node instanceof HTMLMetaElement && node.name === "color-scheme") return node;
    return append.call(this, node);
  };
})();

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
//    code block gets. Landmarks need names that tell them apart: a toolbar is named after
//    its block's title, an Output block after the block it shows the output of, and a
//    name that would repeat gets the block's number on the page.
document.addEventListener("DOMContentLoaded", () => {
  const titleOf = (block) => {
    const title = block && block.querySelector(":scope > .filename");
    return title ? title.textContent.trim() : "";
  };
  const name = () => {
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((el) =>
      el.setAttribute("aria-label", "Search"),
    );
    const toolbars = [...document.querySelectorAll("nav.md-code__nav")];
    if (toolbars.every((el) => el.hasAttribute("aria-label"))) return;
    const blocks = [...document.querySelectorAll(".md-typeset .highlight")];
    const names = toolbars.map((el) => {
      const block = el.closest(".highlight");
      const index = blocks.indexOf(block);
      const title = titleOf(block);
      if (title === "Output") {
        const shown = blocks.slice(0, index).reverse().map(titleOf);
        const code = shown.find((t) => t && t !== "Output");
        return code ? `Output of ${code}: tools` : `Output, block ${index + 1}: tools`;
      }
      return title ? `${title}: tools` : `Code block ${index + 1}: tools`;
    });
    toolbars.forEach((el, i) => {
      const repeated = names.indexOf(names[i]) !== names.lastIndexOf(names[i]);
      const block = blocks.indexOf(el.closest(".highlight")) + 1;
      el.setAttribute("aria-label", repeated ? `${names[i]} (block ${block})` : names[i]);
    });
  };
  name();
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
});

// 3. A code block or table that scrolls sideways is a Tab stop, so it can be scrolled from
//    the keyboard. The theme makes a code block one only where the pointer can hover, and
//    takes the attribute away again on a touch screen; here it stays wherever it scrolls.
//    Reading a block's widths lays it out, and most blocks are off the screen, not laid out
//    yet (extra.css): so the blocks are checked in idle time, a few milliseconds at a time,
//    then again whenever one changes size. window.wideBlocksChecked is true once every
//    block has been checked (long before a reader could tab that far; the tests wait for it).
document.addEventListener("DOMContentLoaded", () => {
  const check = (code) => {
    if (code.scrollWidth > code.clientWidth) {
      if (code.getAttribute("tabindex") !== "0") code.setAttribute("tabindex", "0");
    } else if (!matchMedia("(hover)").matches) {
      code.removeAttribute("tabindex");
    }
  };
  const sizes = new ResizeObserver((entries) => entries.forEach((e) => check(e.target)));
  const waiting = [];
  let asked = false;
  const work = (idle) => {
    asked = false;
    // all at once on a hidden page (no reader waits on it; it gets idle time rarely) or on
    // one that has been busy for a second (no idle time is coming)
    const until = document.hidden || idle?.didTimeout ? Infinity : performance.now() + 4;
    do {
      const code = waiting.shift();
      check(code);
      sizes.observe(code);
    } while (waiting.length && performance.now() < until);
    ask();
  };
  const ask = () => {
    window.wideBlocksChecked = !waiting.length;
    if (waiting.length && !asked) {
      asked = true;
      if (document.hidden) setTimeout(work);
      else requestIdleCallback(work, { timeout: 1000 });
    }
  };
  const watch = (root) => {
    waiting.push(...root.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap"));
    ask();
  };
  watch(document);
  new MutationObserver((changes) =>
    changes.forEach((change) => {
      if (change.type === "attributes") check(change.target);
      else change.addedNodes.forEach((node) => node instanceof Element && watch(node));
    }),
  ).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["tabindex"],
  });
});

// 4. Print is light: dark text and the light diagrams on white paper, whatever palette the
//    reader has on screen. (The theme opens every collapsed block for print.)
(() => {
  let shown = null;
  window.addEventListener("beforeprint", () => {
    shown = document.body.getAttribute("data-md-color-scheme");
    document.body.setAttribute("data-md-color-scheme", "default");
  });
  window.addEventListener("afterprint", () => {
    if (shown !== null) document.body.setAttribute("data-md-color-scheme", shown);
    shown = null;
  });
})();
