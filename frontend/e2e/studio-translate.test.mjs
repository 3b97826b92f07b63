// The console's translation page (issue 17) end to end, in Chromium: an
// editor opens Ê Đê from the content studio, starts a change from the
// read-only page, translates the attract screen's invitation and the home
// screen's "learn" tile beside the Vietnamese, and then sees both in the
// kiosk preview of the change started with ?lang=rad. A lost placeholder is
// refused beside its line. The Ê Đê texts are test fixtures with the breve
// letters the kiosk's font must draw, not translations a speaker checked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium, newTouchPage, startSession } from './harness.mjs';
import { checkPage, consolePage, DESKTOP, logIn, message, PHONE, press, startHub, submit } from './hub.mjs';

const EDITOR = { user: 'bientap', password: 'bien-tap-vien-2026', role: 'editor' };
const KIOSK_SIZE = { width: 1920, height: 1080 };
const RAD_TOUCH = 'Mă ti ana čiăng dơ̆ng (thử)';
const RAD_LEARN = 'Hriăm mnơ̆ng ñu čŏ (thử)';

let browser, hub;

before(async () => {
  browser = await launchChromium();
  hub = await startHub({ accounts: [EDITOR] });
});

after(async () => {
  await hub?.stop();
  await browser?.close();
});

/** The field of the line ctxt on the translation page. */
const field = (page, ctxt) => page.getByTestId(`line-${ctxt}`).getByRole('textbox');

/** Show only the kiosk screens' lines with words of the Vietnamese. */
async function find(page, words) {
  await page.getByLabel('Của').selectOption({ label: 'màn hình kiosk' });
  await page.getByLabel('Tìm trong tiếng Việt').fill(words);
  await submit(page, page.getByRole('button', { name: 'Lọc' }));
}

test('an editor translates the attract and home lines into Ê Đê in a change and sees them in the preview', async () => {
  const page = await consolePage(browser, DESKTOP);
  await logIn(page, hub, EDITOR);
  await press(page, page.getByRole('link', { name: 'Nội dung', exact: true }));
  await submit(page, page.getByRole('link', { name: /^Bản dịch/ }));
  const before = await page.getByTestId('coverage-rad').innerText();
  await checkPage(page, 'translate-index');
  await submit(page, page.getByRole('link', { name: 'tiếng Ê Đê' }));
  await page.getByTestId('viewing-approved').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Lưu bản dịch' }).count(), 0, 'the approved content is read-only');
  await page.getByLabel('Tên thay đổi mới').fill('Dịch màn hình đầu sang Ê Đê');
  await submit(page, page.getByRole('button', { name: 'Dịch trong thay đổi' }));
  const change = new URL(page.url()).searchParams.get('change');
  assert.ok(change, `translating happens in a change: ${page.url()}`);

  await find(page, 'Chạm vào màn hình để bắt đầu');
  const touch = field(page, 'shell:shell.attract.touch');
  assert.equal(await touch.getAttribute('lang'), 'rad');
  assert.equal(await page.getByTestId('line-shell:shell.attract.touch').locator('[lang="vi"]').innerText(), 'Chạm vào màn hình để bắt đầu');
  await touch.fill(RAD_TOUCH);
  await checkPage(page, 'translate-lines');
  await submit(page, page.getByRole('button', { name: 'Lưu bản dịch' }));
  assert.match(await message(page, 'status'), /Đã lưu 1 dòng bản dịch vào thay đổi #\d+/);

  // A lost placeholder: refused beside its line, what was typed kept.
  await find(page, 'bài học');
  await field(page, 'shell:shell.home.learn_count').fill('hriăm');
  await submit(page, page.getByRole('button', { name: 'Lưu bản dịch' }));
  assert.match(await message(page, 'alert'), /Chưa lưu gì/);
  assert.match(await page.getByTestId('line-shell:shell.home.learn_count').innerText(), /Phải giữ nguyên \{n\}/);
  assert.equal(await field(page, 'shell:shell.home.learn_count').inputValue(), 'hriăm');
  await page.setViewportSize(PHONE);
  await checkPage(page, 'translate-refused');
  await page.setViewportSize(DESKTOP);
  await field(page, 'shell:shell.home.learn_count').fill('');

  await find(page, 'Học kỹ năng số');
  await field(page, 'shell:shell.home.learn').fill(RAD_LEARN);
  await submit(page, page.getByRole('button', { name: 'Lưu bản dịch' }));
  assert.match(await message(page, 'status'), /Đã lưu 1 dòng/);

  // The change's review lists the translation as its own file.
  await page.goto(`${hub.admin}content/changes/${change}`);
  assert.match(await page.getByRole('main').innerText(), /i18n\/rad\/shell\.json/);

  // Coverage rose.
  await page.goto(`${hub.admin}content/translate/?change=${change}`);
  assert.notEqual(await page.getByTestId('coverage-rad').innerText(), before);

  // The kiosk itself over the change, started in Ê Đê.
  await page.goto(`${hub.admin}content/translate/rad?change=${change}`);
  const href = await page.getByRole('link', { name: 'Xem trước bằng tiếng Ê Đê' }).getAttribute('href');
  assert.equal(href, `/admin/content/preview/${change}/?lang=rad`);
  const kiosk = await newTouchPage({ browser }, KIOSK_SIZE);
  await kiosk.context().addCookies(await page.context().cookies());
  await kiosk.goto(hub.url + href);
  // The invitation goes round the offered languages, Ê Đê among them.
  await kiosk.locator('[data-testid="attract-touch"][lang="rad"]', { hasText: RAD_TOUCH }).waitFor({ timeout: 30_000 });
  await startSession(kiosk);
  assert.equal(await kiosk.evaluate(() => document.documentElement.lang), 'rad');
  await kiosk.getByTestId('screen-home').getByText(RAD_LEARN).waitFor();
  await kiosk.context().close();
  await page.context().close();
});
