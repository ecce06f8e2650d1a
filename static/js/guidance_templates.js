// Fill the guidance box from a template when the reviewer asks for it; without JavaScript they copy it.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".template-button");
  if (!button) return;
  const template = document.getElementById(button.dataset.template);
  const box = document.getElementById("guidance-body");
  if (!template || !box) return;
  if (box.value.trim() && !window.confirm("Replace what is in the box with this template?")) return;
  box.value = template.content.textContent;
  box.focus();
});
