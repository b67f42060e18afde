// GOV.UK Frontend's components, started on the page, and again on each part htmx swaps in.
import { initAll } from '/assets/govuk-frontend/govuk-frontend.min.js'

initAll()

document.body.addEventListener('htmx:after:swap', (event) => {
  const target = event.detail && event.detail.ctx && event.detail.ctx.target
  if (target instanceof Element) {
    initAll({ scope: target })
  }
})
