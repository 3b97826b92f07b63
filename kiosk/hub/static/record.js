// The recording studio's microphone (templates/studio_record.html): each
// line's "Ghi âm" records with MediaRecorder, "Nghe lại" plays the take,
// "Ghi lại" starts over, "Lưu" sends it to the hub, which checks it and
// saves it into the change as Ogg Opus (Chromium records WebM; the hub
// remuxes it). The only script of the console; without it the page still
// plays what is recorded.
'use strict';

(function () {
  const form = document.getElementById('record-upload');
  if (!form || !window.MediaRecorder || !navigator.mediaDevices) return;
  form.querySelector('.record-noscript').hidden = true;
  const maxSeconds = Number(form.dataset.max) || 60;
  // Ogg Opus where the browser records it (Firefox), else WebM/Opus.
  const type = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'].find((t) => MediaRecorder.isTypeSupported(t)) || '';
  let busy = null; // the recorder recording now: one line at a time

  const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

  function setUp(box) {
    const el = (cls) => box.querySelector('.' + cls);
    const start = el('rec-start'), stop = el('rec-stop'), play = el('rec-play'), again = el('rec-again'), save = el('rec-save');
    const state = el('rec-state');
    const line = box.closest('.record-line');
    let take = null, url = '', player = null, rec = null, timer = 0;

    const show = (...visible) => {
      for (const b of [start, stop, play, again, save]) b.hidden = !visible.includes(b);
    };
    const say = (text, alert) => {
      state.textContent = text;
      state.setAttribute('role', alert ? 'alert' : 'status');
    };
    const others = (disabled) => {
      for (const b of document.querySelectorAll('.rec-start')) if (b !== start) b.disabled = disabled;
    };

    async function record() {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch {
        say('Không dùng được micrô. Hãy cho phép trình duyệt dùng micrô rồi bấm Ghi âm lần nữa.', true);
        return;
      }
      const chunks = [];
      rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      rec.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
      rec.onstop = () => {
        clearInterval(timer);
        for (const t of stream.getTracks()) t.stop();
        busy = null;
        others(false);
        take = new Blob(chunks, { type: rec.mimeType });
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(take);
        show(play, again, save);
        say('Đã ghi xong. Bấm “Nghe lại” để kiểm tra, rồi “Lưu”.');
        play.focus();
      };
      const began = Date.now();
      rec.start(250);
      busy = rec;
      others(true);
      show(stop);
      stop.focus();
      say('Đang ghi… 0:00');
      timer = setInterval(() => {
        const s = (Date.now() - began) / 1000;
        if (s >= maxSeconds) rec.stop();
        else say(`Đang ghi… ${clock(s)}`);
      }, 250);
    }

    async function upload() {
      const body = new FormData(form);
      body.set('ctxt', line.dataset.ctxt);
      body.set('text', box.dataset.text);
      body.set('audio', take, type.startsWith('audio/ogg') ? 'ghi-am.ogg' : 'ghi-am.webm');
      save.disabled = again.disabled = true;
      say('Đang lưu…');
      let answer = { ok: false, message: 'Không gửi được lên máy chủ; hãy kiểm tra mạng rồi bấm Lưu lần nữa.' };
      try {
        const res = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin' });
        answer = (res.headers.get('Content-Type') || '').startsWith('application/json')
          ? await res.json()
          // The console's own refusal page: most often a login that has run out.
          : { ok: false, message: `Máy chủ không nhận (mã ${res.status}). Có thể phiên đăng nhập đã hết hạn: hãy mở trang này ở thẻ khác, đăng nhập lại, rồi bấm Lưu lần nữa.` };
      } catch { /* the network failed: the message above says what to do */ }
      save.disabled = again.disabled = false;
      if (!answer.ok) {
        say(answer.message, true);
        return;
      }
      say('Đã lưu');
      show(start, play);
      start.textContent = 'Ghi lại';
      const now = line.querySelector('.record-now');
      now.replaceChildren();
      const badge = document.createElement('span');
      badge.className = 'badge ok';
      badge.textContent = 'Đã ghi âm';
      const audio = document.createElement('audio');
      audio.controls = true;
      audio.preload = 'none';
      audio.setAttribute('aria-label', 'Bản ghi đang có');
      audio.src = box.dataset.audio + '&saved=' + Date.now();
      now.append(badge, ' ', audio);
    }

    start.addEventListener('click', () => { if (!busy) record(); });
    again.addEventListener('click', () => { if (!busy) record(); });
    stop.addEventListener('click', () => rec && rec.state === 'recording' && rec.stop());
    play.addEventListener('click', () => {
      if (player) player.pause();
      player = new Audio(url);
      player.play().catch(() => say('Trình duyệt không phát được bản ghi này; hãy ghi lại.', true));
    });
    save.addEventListener('click', () => take && upload());
    box.hidden = false;
  }

  for (const box of document.querySelectorAll('.recorder')) setUp(box);
})();
