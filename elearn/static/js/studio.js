/* Trainer studio editor: a live preview and the file's check problems beside the text as the trainer
   types (debounced). Progressive enhancement: without this script the Periksa / Pratinjau buttons do
   the same through the form. The preview HTML comes from the server's render-and-sanitize pipeline. */
(function () {
  "use strict";
  var form = document.querySelector("form.studio-editor[data-preview-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var text = form.querySelector("textarea[name=text]");
  var live = document.getElementById("studio-live");
  var panel = document.getElementById("live-preview");
  var list = document.getElementById("live-problems");
  var status = document.getElementById("live-status");
  var timer = null;
  var sequence = 0;

  function offsetOfLine(value, line) {
    var offset = 0;
    for (var n = 1; n < line; n += 1) {
      var next = value.indexOf("\n", offset);
      if (next < 0) { return value.length; }
      offset = next + 1;
    }
    return offset;
  }

  function goToLine(line) {
    var start = offsetOfLine(text.value, line);
    var end = text.value.indexOf("\n", start);
    text.focus();
    text.setSelectionRange(start, end < 0 ? text.value.length : end);
  }

  function show(data) {
    panel.innerHTML = data.html;
    list.textContent = "";
    data.problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "problem-" + problem.severity;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = problem.path + ":" + problem.line;
      if (problem.line > 0) {
        button.addEventListener("click", function () { goToLine(problem.line); });
      }
      item.appendChild(button);
      item.appendChild(document.createTextNode(": " + problem.severity_label + ": " + problem.message));
      list.appendChild(item);
    });
    status.textContent = data.summary;
  }

  function refresh() {
    var mine = sequence += 1;
    var body = new FormData(form);
    body.delete("action");
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === sequence) { show(data); } })
      .catch(function () { /* offline for a moment: the buttons still work */ });
  }

  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  live.hidden = false;
  refresh();
  // opened from a check problem (file:line): the cursor goes to that line
  var line = parseInt(text.getAttribute("data-line") || "0", 10);
  if (line > 0) { goToLine(line); }
}());
