// The admin's autocomplete (select2) gives its search box no label: it takes the name of its field's label.
window.addEventListener("load", function () {
  document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var search = select.nextElementSibling && select.nextElementSibling.querySelector(".select2-search__field");
    if (label && search) {
      search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  });
});
