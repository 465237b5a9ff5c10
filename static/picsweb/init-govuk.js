// Starts every govuk-frontend component on the page.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
