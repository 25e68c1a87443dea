"""Makes the speech of the shipped scenarios: MP3 files and their WebVTT captions, in Arabic and English.

Run from the repository: `python course_content/make_media.py` (needs espeak-ng and lame, both
Debian packages). Each sentence is spoken on its own, so that its caption cue starts and ends
with it; the sentences are joined with a short pause. The texts are the transcripts the
scenarios carry, and stay the one source of what is said.
"""
import subprocess
import tempfile
import wave
from pathlib import Path

FOLDER = Path(__file__).parent / "scenarios" / "media"
VOICES = {"ar": "ar", "en": "en-gb"}
PAUSE = 0.6  # seconds between sentences
RATE = 150  # words per minute: unhurried, as a counsellor speaks

SPEECH = {
    # etherapy-anxious: the service's recorded breathing exercise, sent to client C-27.
    "breathing-exercise": {
        "en": [
            "This is a short breathing exercise from the counselling service.",
            "Sit comfortably, and put both feet flat on the floor.",
            "Breathe in slowly through your nose while I count to four.",
            "One. Two. Three. Four.",
            "Now breathe out slowly through your mouth, for six.",
            "One. Two. Three. Four. Five. Six.",
            "Once more: in for four, and out for six.",
            "When the breath out is longer than the breath in, the body learns that it is safe.",
            "Practise this twice a day, and before your next interview.",
        ],
        "ar": [
            "هذا تمرين تنفس قصير من خدمة الإرشاد.",
            "اجلسي في وضع مريح، وضعي قدميك على الأرض.",
            "خذي نفسا بطيئا من أنفك وأنا أعد إلى أربعة.",
            "واحد. اثنان. ثلاثة. أربعة.",
            "والآن أخرجي النفس ببطء من فمك، إلى ستة.",
            "واحد. اثنان. ثلاثة. أربعة. خمسة. ستة.",
            "مرة أخرى: شهيق إلى أربعة، وزفير إلى ستة.",
            "حين يطول الزفير عن الشهيق، يتعلم الجسد أنه في أمان.",
            "تدربي على هذا مرتين في اليوم، وقبل مقابلتك القادمة.",
        ],
    },
    # home-visit-remote: the mother's voice message an hour before the video visit.
    "mother-voice-note": {
        "en": [
            "Good morning. It's me, the children's mother.",
            "Today is difficult. My brother-in-law is at home all day, and the children are with me.",
            "Can we make the call short, or move it to tomorrow?",
            "And please, don't call the school again. The teacher already asks my son too many questions.",
        ],
        "ar": [
            "صباح الخير. معك أم الأولاد.",
            "اليوم صعب. أخو زوجي في البيت طوال اليوم، والأولاد معي.",
            "هل يمكن أن نجعل المكالمة قصيرة، أو نؤجلها إلى الغد؟",
            "وأرجوكم، لا تتصلوا بالمدرسة مرة أخرى. المعلمة تسأل ابني أسئلة كثيرة.",
        ],
    },
}


def speak(sentence, language, target):
    subprocess.run(["espeak-ng", "-v", VOICES[language], "-s", str(RATE), "-w", str(target), sentence], check=True)
    with wave.open(str(target), "rb") as sound:
        return sound.getparams(), sound.readframes(sound.getnframes())


def stamp(seconds):
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def make(name, language, sentences, work):
    frames, cues, clock, params = [], [], 0.0, None
    for index, sentence in enumerate(sentences):
        params, data = speak(sentence, language, work / f"{index}.wav")
        length = len(data) / (params.sampwidth * params.nchannels * params.framerate)
        cues.append(f"{index + 1}\n{stamp(clock)} --> {stamp(clock + length)}\n{sentence}\n")
        silence = b"\x00" * int(PAUSE * params.framerate) * params.sampwidth * params.nchannels
        frames += [data, silence]
        clock += length + PAUSE
    joined = work / "joined.wav"
    with wave.open(str(joined), "wb") as out:
        out.setparams(params)
        out.writeframes(b"".join(frames))
    subprocess.run(["lame", "--quiet", "-m", "m", "-b", "32", "--tt", name, "--ta", "Maydan (espeak-ng)",
                    str(joined), str(FOLDER / f"{name}.{language}.mp3")], check=True)
    (FOLDER / f"{name}.{language}.vtt").write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")


def main():
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, languages in SPEECH.items():
        for language, sentences in languages.items():
            with tempfile.TemporaryDirectory() as work:
                make(name, language, sentences, Path(work))
            print(f"{name}.{language}.mp3 and .vtt")


if __name__ == "__main__":
    main()
