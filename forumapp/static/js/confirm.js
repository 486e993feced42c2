// A form with data-confirm="question" asks before it is sent. (An inline onsubmit would be
// blocked by the site's Content-Security-Policy, which runs only scripts from this server.)
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
