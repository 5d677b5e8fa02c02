// Refreshes the page's live regions (data-live) every few seconds without reloading it. A region in use (the focus is
// inside it, or one of its disclosures is open) is left as it is, so a form being filled in is never replaced.
(() => {
  'use strict';
  const every = 3000;

  async function refresh() {
    if (document.hidden) return;
    let text;
    try {
      const response = await fetch(location.pathname + location.search, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) return;
      text = await response.text();
    } catch {
      return; // the next tick tries again
    }
    const fresh = new DOMParser().parseFromString(text, 'text/html');
    for (const region of document.querySelectorAll('[data-live]')) {
      if (region.contains(document.activeElement) || region.querySelector('details[open]')) continue;
      const next = fresh.querySelector(`[data-live="${CSS.escape(region.dataset.live)}"]`);
      if (next && next.innerHTML !== region.innerHTML) region.innerHTML = next.innerHTML;
    }
    document.documentElement.dataset.refreshed = String(Date.now());
  }

  setInterval(refresh, every);
})();
