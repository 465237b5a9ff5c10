// Marks the page as JS-enabled for govuk-frontend before it renders (an external file so the
// Content-Security-Policy needs no inline script).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
