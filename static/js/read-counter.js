// Counts one read of the article this page shows. The page may come from a cache, so the
// count is sent from the reader's browser (news.views.count_read).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (url && navigator.sendBeacon) {
    navigator.sendBeacon(url);
  }
})();
