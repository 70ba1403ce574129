// What the record and audit end-to-end tests do to the window, by data-testid (ui/TESTIDS.md).
// `getDriver` returns the session the test file opened in its `before` hook.

import { By, until } from 'selenium-webdriver';

export const byTestId = (id) => By.css(`[data-testid="${id}"]`);

export function uiHelpers(getDriver) {
  async function element(id, timeoutMs = 15_000) {
    return getDriver().wait(until.elementLocated(byTestId(id)), timeoutMs, `no [data-testid="${id}"]`);
  }

  async function visible(id) {
    const found = await element(id);
    await getDriver().wait(until.elementIsVisible(found), 10_000, `[data-testid="${id}"] stays hidden`);
    return found;
  }

  async function type(id, text) {
    const field = await visible(id);
    if ((await field.getAttribute('type')) === 'date') {
      // A date picker is set as the picker itself sets it: its value is always YYYY-MM-DD, and
      // WebDriver's keys go to one part of it (day, month, year) at a time.
      await getDriver().executeScript(
        (input, value) => {
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          input.dispatchEvent(new Event('change', { bubbles: true }));
        },
        field,
        text,
      );
      return;
    }
    await field.clear();
    await field.sendKeys(text);
  }

  /** Chooses `value` in the select `id` as a person does: the select fires `change`. */
  async function select(id, value) {
    const picker = await element(id);
    await getDriver().executeScript(
      (field, chosen) => {
        field.value = chosen;
        field.dispatchEvent(new Event('change', { bubbles: true }));
      },
      picker,
      value,
    );
  }

  async function click(id) {
    await (await visible(id)).click();
  }

  /** Unlocks as `name` and waits for the unlocked app. */
  async function unlockAs(name, passphrase) {
    await type('unlock-account', name);
    await type('unlock-passphrase', passphrase);
    await click('unlock-submit');
    await element('home-screen');
  }

  async function lock() {
    await click('lock-button');
    await element('unlock-screen');
  }

  return { element, visible, type, select, click, unlockAs, lock };
}
