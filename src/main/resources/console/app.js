// The console's only script besides htmx: copy buttons (a token's secret, a new password).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) {
    return;
  }
  var text = source.textContent.trim();
  var done = function () {
    button.textContent = "Copied";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () {
      select(source);
    });
  } else {
    select(source);
    try {
      document.execCommand("copy");
      done();
    } catch (e) {
      // the text stays selected for the person to copy
    }
  }
});

function select(element) {
  var range = document.createRange();
  range.selectNodeContents(element);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
