/* Behaviour the pages ask for by data attributes: the Content-Security-Policy forbids
   inline event handlers (onclick=, onchange=, onsubmit=), so they live here.
     <form data-confirm="question">   asks before the form is sent
     <select data-autosubmit>         sends its form when the choice changes
     <button data-locate>             fills the form's lon/lat from the device and sends it */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (position) {
      var form = button.form;
      form.elements.lon.value = position.coords.longitude.toFixed(5);
      form.elements.lat.value = position.coords.latitude.toFixed(5);
      form.submit();
    });
  });
})();
