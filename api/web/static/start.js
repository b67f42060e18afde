// Runs first in the page's body: GOV.UK Frontend styles its components for JavaScript only
// once the body says JavaScript runs (the class it would otherwise set from an inline script,
// which the Content-Security-Policy forbids).
document.body.className += ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
