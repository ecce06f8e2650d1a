// Choosing another type of cancer reloads the step with its questions: the button that does it
// without JavaScript is hidden, and a change of the list presses it.
(function () {
  "use strict";
  var button = document.querySelector("[data-show-questions]");
  var select = document.getElementById("id_cancer_type");
  if (!button || !select) {
    return;
  }
  button.hidden = true;
  select.addEventListener("change", function () {
    button.form.requestSubmit(button);
  });
})();
