// The reader opened from a search snippet: mark the searched words in the page's text and on its image.
// The words come in ?highlight=; where they are on the page is asked of search (search.highlight).
(function () {
  "use strict";
  const words = new URLSearchParams(window.location.search).get("highlight");
  if (!words) return;
  const image = document.querySelector("img.sijill-page-image");
  const text = document.querySelector('[data-testid="reader-text"]');
  const source = image || document.querySelector(".sijill-thumbnails img");
  const found = source && source.getAttribute("src").match(/versions\/([0-9a-f-]{36})\//);
  const page = new URLSearchParams(window.location.search).get("page") || "1";
  if (!found) return;
  const url = `${document.body.dataset.sijillSearchHighlight || "/admin/search/highlight/"}${found[1]}/${page}/?highlight=${encodeURIComponent(words)}`;
  fetch(url, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : { spans: [], boxes: [] }))
    .then(({ spans, boxes }) => {
      if (text && spans.length) {
        const content = text.textContent;
        const pieces = [];
        let position = 0;
        for (const [start, end] of spans) {
          pieces.push(document.createTextNode(content.slice(position, start)));
          const mark = document.createElement("mark");
          mark.textContent = content.slice(start, end);
          pieces.push(mark);
          position = end;
        }
        pieces.push(document.createTextNode(content.slice(position)));
        text.replaceChildren(...pieces);
        text.querySelector("mark").scrollIntoView({ block: "center" });
      }
      if (image && boxes.length) {
        const frame = document.createElement("div");
        frame.className = "sijill-highlight-frame";
        image.replaceWith(frame);
        frame.appendChild(image);
        for (const [left, top, width, height] of boxes) {
          const box = document.createElement("span");
          box.className = "sijill-highlight-box";
          Object.assign(box.style, { left: `${left * 100}%`, top: `${top * 100}%`, width: `${width * 100}%`, height: `${height * 100}%` });
          frame.appendChild(box);
        }
      }
    });
})();
