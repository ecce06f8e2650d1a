/* Navis upload: drag and drop, several files, a progress bar and a result for each file.
 * Enhances the plain multi-file form in templates/uploads/includes/upload_form.html, which works
 * without this script. Each file goes in its own request, one after another, to the same URL. */
(function () {
  "use strict";

  var form = document.querySelector("[data-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }

  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-drop-zone]");
  var results = form.querySelector("[data-upload-results]");
  var status = form.querySelector("[data-upload-status]");
  var submit = form.querySelector("[data-upload-submit]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var maxFileSize = parseInt(form.getAttribute("data-max-file-size"), 10);
  var queue = [];
  var busy = false;
  var done = { ok: 0, refused: 0 };

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0) + " MB";
  }

  function announce(text) {
    status.textContent = text;
  }

  function row(file) {
    var item = document.createElement("li");
    item.className = "upload-result upload-result--waiting";
    var name = document.createElement("span");
    name.className = "upload-result__name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Uploading " + file.name);
    var message = document.createElement("span");
    message.className = "upload-result__message";
    message.textContent = "Waiting (" + megabytes(file.size) + ")";
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(message);
    results.appendChild(item);
    return { item: item, bar: bar, message: message };
  }

  function finish(entry, ok, text, listed) {
    entry.item.className = "upload-result upload-result--" + (ok ? "ok" : "refused");
    // Kept as a new record: it leaves the results once the list of records shows it.
    if (listed) { entry.item.setAttribute("data-listed", ""); }
    entry.bar.value = ok ? 100 : entry.bar.value;
    entry.bar.hidden = !ok;
    entry.message.textContent = (ok ? "" : "Not uploaded: ") + text;
    done[ok ? "ok" : "refused"] += 1;
    announce(entry.file.name + ": " + (ok ? text : "not uploaded. " + text));
  }

  function refreshDocuments() {
    var region = document.querySelector("[data-refresh-region]");
    var limits = document.getElementById("upload-limits");
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var freshRegion = page.querySelector("[data-refresh-region]");
        var freshLimits = page.getElementById("upload-limits");
        if (region && freshRegion) {
          region.innerHTML = freshRegion.innerHTML;
          results.querySelectorAll("[data-listed]").forEach(function (item) { item.remove(); });
        }
        if (limits && freshLimits) { limits.innerHTML = freshLimits.innerHTML; }
      })
      .catch(function () { /* The list is right again on the next page load. */ });
  }

  function next() {
    if (busy) { return; }
    var entry = queue.shift();
    if (!entry) {
      announce("Finished: " + done.ok + " uploaded, " + done.refused + " not uploaded.");
      refreshDocuments();
      return;
    }
    busy = true;
    entry.message.textContent = "Uploading…";
    entry.item.className = "upload-result upload-result--uploading";
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("files", entry.file, entry.file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.round((event.loaded / event.total) * 100);
        entry.bar.value = percent;
        entry.message.textContent = "Uploading… " + percent + "%";
      }
    });
    request.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
      if (request.status === 200 && answer && answer.results && answer.results.length) {
        finish(entry, answer.results[0].ok, answer.results[0].message, answer.results[0].listed);
      } else if (request.status === 413) {
        finish(entry, false, "This file is too large.");
      } else {
        finish(entry, false, "Something went wrong on our side. Please try this file again.");
      }
      busy = false;
      next();
    });
    request.addEventListener("error", function () {
      finish(entry, false, "The connection was lost. Please try this file again.");
      busy = false;
      next();
    });
    request.send(data);
  }

  function add(files) {
    for (var i = 0; i < files.length; i += 1) {
      var entry = row(files[i]);
      entry.file = files[i];
      if (files[i].size > maxFileSize) {
        // The server would refuse it too; saying so now saves sending it.
        finish(entry, false, "This file is larger than " + megabytes(maxFileSize) + ", the most we take for one file.");
      } else {
        queue.push(entry);
      }
    }
    announce(files.length + (files.length === 1 ? " file" : " files") + " added.");
    next();
  }

  form.classList.add("upload--enhanced");
  submit.hidden = true;
  form.querySelector("[data-drop-hint]").hidden = false;

  input.addEventListener("change", function () {
    if (input.files.length) { add(input.files); }
    input.value = "";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.files.length) { add(input.files); }
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("upload__zone--active");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("upload__zone--active");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) { add(event.dataTransfer.files); }
  });
})();
