#!/usr/bin/env python3
"""Writes kmerl's curated cardiac entity vocabulary (kmerl-model/src/main/resources/org/kmerl/model/knowledge/
vocabulary.json). Each entity: id, canonical name, parent ids, PTB-XL SCP-ECG codes, SNOMED-CT codes (as the
PhysioNet/CinC Challenge 2021 mapping tables use them) and phrases by language (en, de, sv). Phrases are matched
on normalised tokens (lower case, umlauts folded: ae->a? no: ä->a, ö->o, ü->u, ß->ss, å->a), longest match first.

Sources of the phrases: the SCP-ECG statement descriptions, the wording of PTB-XL's German (Schiller-style) and
English machine reports, the Challenge 2021 diagnosis names, MIMIC-IV-ECG machine report phrases, and MERL's
downstream class lists. Usage: python3 make_vocabulary.py OUT.json
"""
import json
import sys

E = []


def e(id, name, parents=(), scp=(), snomed=(), en=(), de=(), sv=()):
    E.append({"id": id, "name": name, "parents": list(parents), "scp": list(scp), "snomed": list(snomed),
              "synonyms": {"en": [name] + [x for x in en if x != name], "de": list(de), "sv": list(sv)}})


# ---- top of the hierarchy
e("rhythm", "cardiac rhythm")
e("conduction", "conduction disturbance", en=["conduction disturbance", "conduction defect"], de=["leitungsstorung"])
e("infarction", "myocardial infarction", en=["myocardial infarction", "infarct", "infarction", "old infarct"],
  de=["infarkt", "myokardinfarkt"], sv=["infarkt"], snomed=["164865005"])
e("ischemia", "myocardial ischemia", en=["ischaemia", "ischemia", "ischaemic", "ischemic", "myocardial ischaemia",
                                         "ischaemic heart disease", "ischemic heart disease"],
  de=["ischamie", "ischamisch"], sv=["ischemi"])
e("st_t_change", "ST-T change", en=["st-t changes", "st-t wave changes", "st t changes", "st & t abnormal",
                                     "st-t abnormality", "repolarization abnormality"],
  de=["st & t abnorm", "st & t abnormal", "st-t veranderung", "erregungsruckbildungsstorung"],
  sv=["st-t forandring", "st-t forandringar"], snomed=["55930002"])
e("hypertrophy", "hypertrophy or enlargement", en=["hypertrophy", "enlargement"], de=["hypertrophie"])
e("axis", "electrical axis")
e("ectopy", "ectopic beats", en=["ectopic beats", "ectopy", "premature beats", "extrasystoles"],
  de=["extrasystolie", "extrasystolen"])
e("myocardial_injury", "myocardial injury", parents=["infarction"], en=["myocardial injury", "injury"],
  de=["myokardschaden"], sv=["myokardskada"])
e("abnormal_ecg", "abnormal ECG", en=["abnormal ecg", "abnormal electrocardiogram", "pathological ecg"],
  de=["pathologisches ekg", "pathologisch"], sv=["patologiskt ekg"])

# ---- rhythms
e("sinus_rhythm", "sinus rhythm", ["rhythm"], ["SR"], ["426783006"],
  en=["normal sinus rhythm", "sinus rhythm", "nsr", "sinus rhythm otherwise"], de=["sinusrhythmus", "sr"], sv=["sinusrytm"])
e("sinus_bradycardia", "sinus bradycardia", ["rhythm"], ["SBRAD"], ["426177001"],
  en=["sinus bradycardia", "marked sinus bradycardia"], de=["sinusbradykardie"], sv=["sinusbradykardi"])
e("sinus_tachycardia", "sinus tachycardia", ["rhythm"], ["STACH"], ["427084000"],
  en=["sinus tachycardia"], de=["sinustachykardie"], sv=["sinustakykardi"])
e("sinus_arrhythmia", "sinus arrhythmia", ["rhythm"], ["SARRH"], ["427393009"],
  en=["sinus arrhythmia", "marked sinus arrhythmia"], de=["sinusarrhythmie", "sinus arrhythmie"], sv=["sinusarytmi"])
e("atrial_fibrillation", "atrial fibrillation", ["rhythm"], ["AFIB"], ["164889003"],
  en=["atrial fibrillation", "afib", "af", "atrial fibrillation with rapid ventricular response",
      "atrial fibrillation/flutter"],
  de=["vorhofflimmern", "vorhofflimmern/-flattern", "tachykardes vorhofflimmern", "absolute arrhythmie",
      "absolute arrhythmie bei vorhofflimmern"],
  sv=["formaksflimmer", "formaksflimmer/-fladder"])
e("atrial_flutter", "atrial flutter", ["rhythm"], ["AFLT"], ["164890007"],
  en=["atrial flutter", "aflutter"], de=["vorhofflattern"], sv=["formaksfladder"])
e("supraventricular_arrhythmia", "supraventricular arrhythmia", ["rhythm"], ["SVARR"], ["17366009"],
  en=["supraventricular arrhythmia"], de=["supraventrikulare arrhythmie"], sv=["supraventrikular arytmi"])
e("supraventricular_tachycardia", "supraventricular tachycardia", ["rhythm"], ["SVTAC"], ["426761007"],
  en=["supraventricular tachycardia", "svt", "rapid regular supraventricular tachycardia"],
  de=["supraventrikulare tachykardie"], sv=["supraventrikular takykardi"])
e("paroxysmal_svt", "paroxysmal supraventricular tachycardia", ["supraventricular_tachycardia"], ["PSVT"], ["67198005"],
  en=["paroxysmal supraventricular tachycardia", "psvt"], de=["paroxysmale supraventrikulare tachykardie"])
e("pacemaker", "pacemaker rhythm", ["rhythm"], ["PACE"], ["10370003"],
  en=["pacemaker", "paced rhythm", "electronic pacemaker", "artificial pacemaker", "ventricular pacing", "pacing",
      "atrial pacing", "dual chamber pacing"],
  de=["schrittmacher", "schrittmacher ekg", "schrittmacherrhythmus", "herzschrittmacher"], sv=["pacemaker"])
e("bigeminy", "bigeminy", ["ectopy"], ["BIGU"], ["251173003"],
  en=["bigeminy", "bigeminal", "ventricular bigeminy", "atrial bigeminy"], de=["bigeminus"], sv=["bigemini"])
e("trigeminy", "trigeminy", ["ectopy"], ["TRIGU"], ["251180001"],
  en=["trigeminy", "trigeminal", "ventricular trigeminy"], de=["trigeminus"], sv=["trigemini"])
e("junctional_rhythm", "junctional rhythm", ["rhythm"], [], ["426995002"],
  en=["junctional rhythm", "nodal rhythm", "av junctional rhythm"], de=["knotenrhythmus", "av-knotenrhythmus"])
e("ectopic_atrial_rhythm", "ectopic atrial rhythm", ["rhythm"], [], ["29320008"],
  en=["ectopic atrial rhythm", "low atrial rhythm"], de=["ektoper vorhofrhythmus"])
e("atrial_tachycardia", "atrial tachycardia", ["rhythm"], [], ["713422000"], en=["atrial tachycardia"],
  de=["vorhoftachykardie"])
e("ventricular_tachycardia", "ventricular tachycardia", ["rhythm"], [], ["164895002"],
  en=["ventricular tachycardia", "vt"], de=["ventrikulare tachykardie", "kammertachykardie"])
e("idioventricular_rhythm", "idioventricular rhythm", ["rhythm"], [], ["49260003"], en=["idioventricular rhythm"])
e("wandering_pacemaker", "wandering atrial pacemaker", ["rhythm"], [], ["195101003"],
  en=["wandering atrial pacemaker", "wandering pacemaker"], de=["wandernder schrittmacher"])
e("sinus_arrest", "sinus arrest", ["rhythm"], [], ["5609005"], en=["sinus arrest", "sinus pause"],
  de=["sinusarrest", "sinuspause"])
e("sinoatrial_block", "sinoatrial block", ["conduction"], [], ["65778007"], en=["sinoatrial block", "sa block"],
  de=["sinuatrialer block", "sa-block"])
e("bradycardia", "bradycardia", ["rhythm"], [], ["426627000"], en=["bradycardia"], de=["bradykardie"])
e("tachycardia", "tachycardia", ["rhythm"], [], ["3424008"], en=["tachycardia"], de=["tachykardie"])
e("irregular_rhythm", "irregular rhythm", ["rhythm"], [], ["361127003"], en=["irregular rhythm", "irregularly irregular"])
e("regular_rhythm", "regular rhythm", ["rhythm"], [], [], en=["regular rhythm"])
e("escape_beat", "escape beats", ["ectopy"], [], ["251166008"], en=["escape beat", "escape beats", "escape rhythm"],
  de=["ersatzschlag", "ersatzrhythmus"], sv=["escape beat"])

# ---- ectopic beats
e("pvc", "premature ventricular contraction", ["ectopy"], ["PVC"], ["427172004", "17338001", "164884008"],
  en=["premature ventricular contraction", "premature ventricular contractions", "premature ventricular complexes",
      "ventricular premature complex", "ventricular premature complexes", "ventricular premature beats", "pvc",
      "pvcs", "ventricular extrasystoles", "ventricular ectopic beats", "ventricular ectopy",
      "multifocal premature ventricular contractions", "ventricular extrasystole"],
  de=["ventrikulare extrasystole", "ventrikulare extrasystolen", "ventrikulare extrasystolie",
      "interponierte ventrikulare extrasystole", "ves"],
  sv=["ventrikulara extraslag", "ventrikular a extrasystoli er"])
e("pac", "premature atrial contraction", ["ectopy"], ["PAC"], ["284470004", "63593006"],
  en=["premature atrial contraction", "premature atrial contractions", "premature atrial complexes",
      "atrial premature complex", "atrial premature complexes", "atrial premature beats", "pac", "pacs",
      "supraventricular extrasystoles", "premature supraventricular contractions", "supraventricular premature beats",
      "atrial ectopic beats"],
  de=["supraventrikulare extrasystole", "supraventrikulare extrasystolen", "supraventrikulare extrasystolie",
      "supraventrikulale extrasystolie", "ses"],
  sv=["supraventrikular a extrasystoli er", "supraventrikulara extraslag"])
e("premature_complexes", "premature complexes", ["ectopy"], ["PRC(S)"], [],
  en=["premature complexes", "frequent premature", "premature complex"], de=["extrasystole", "extrasystolen"])

# ---- AV conduction
e("av_block", "atrioventricular block", ["conduction"], [], ["233917008"],
  en=["av block", "atrioventricular block", "heart block", "a-v block"], de=["av-block", "a-v block", "av block"],
  sv=["av-block"])
e("first_degree_av_block", "first degree AV block", ["av_block"], ["1AVB"], ["270492004"],
  en=["first degree av block", "1st degree av block", "first-degree av block", "first degree atrioventricular block",
      "1st degree atrioventricular block", "first degree heart block"],
  de=["a-v block i", "av-block i", "av block i", "av-block 1. grades", "av block ersten grades", "av-block i grades"],
  sv=["av-block i", "forsta gradens av-block"])
e("prolonged_pr", "prolonged PR interval", ["conduction"], ["LPR"], ["164947007"],
  en=["prolonged pr interval", "prolonged pr", "long pr interval", "markedly prolonged pr interval",
      "grossly prolonged pr interval", "pr interval is prolonged"],
  de=["pq-verlangerung", "verlangerte pq-zeit", "pq verlangert"], sv=["forlangd pq-tid", "forlangt pq-intervall"])
e("second_degree_av_block", "second degree AV block", ["av_block"], ["2AVB"], ["195042002"],
  en=["second degree av block", "2nd degree av block", "second degree atrioventricular block", "mobitz",
      "wenckebach", "mobitz type i", "mobitz type ii", "2:1 av block"],
  de=["a-v block ii", "av-block ii", "av block ii", "av-block 2. grades", "wenckebach"], sv=["av-block ii"])
e("third_degree_av_block", "third degree AV block", ["av_block"], ["3AVB"], ["27885002"],
  en=["third degree av block", "complete heart block", "3rd degree av block", "complete av block",
      "third degree atrioventricular block"],
  de=["a-v block iii", "av-block iii", "av block iii", "totaler av-block", "av-block 3. grades"], sv=["av-block iii"])
e("short_pr", "short PR interval", ["conduction"], [], ["49578007"], en=["short pr interval", "short pr"],
  de=["verkurzte pq-zeit", "kurze pq-zeit"])
e("wpw", "Wolff-Parkinson-White syndrome", ["conduction"], ["WPW"], ["74390002"],
  en=["wolff-parkinson-white", "wolf-parkinson-white", "wpw", "pre-excitation", "preexcitation", "ventricular pre-excitation",
      "wpw pattern"],
  de=["wpw", "wpw typ", "wpw-syndrom", "praexzitation"], sv=["wpw"])

# ---- intraventricular conduction
e("bundle_branch_block", "bundle branch block", ["conduction"], [], ["6374002"],
  en=["bundle branch block"], de=["schenkelblock"], sv=["skankelblock"])
# A bundle branch block stated without "incomplete" is a complete one (PTB-XL codes it CRBBB / CLBBB).
e("rbbb", "right bundle branch block", ["bundle_branch_block"], ["CRBBB"], ["59118001", "713427006"],
  en=["right bundle branch block", "rbbb", "complete right bundle branch block", "complete rbbb"],
  de=["rechtsschenkelblock", "schenkelblock rechts", "kompletter rechtsschenkelblock", "vollstandiger rechtsschenkelblock"],
  sv=["hogersidigt skankelblock", "hoger skankelblock", "komplett hogersidigt skankelblock"])
e("incomplete_rbbb", "incomplete right bundle branch block", ["bundle_branch_block"], ["IRBBB"], ["713426002"],
  en=["incomplete right bundle branch block", "incomplete rbbb", "partial right bundle branch block", "rsr' pattern",
      "rsr pattern"],
  de=["inkompletter rechtsschenkelblock", "unvollstandiger rechtsschenkelblock", "schenkelblock partiell rechts",
      "partieller rechtsschenkelblock"],
  sv=["inkomplett hogersidigt skankelblock", "inkomplett hoger skankelblock"])
e("lbbb", "left bundle branch block", ["bundle_branch_block"], ["CLBBB"], ["164909002", "733534002"],
  en=["left bundle branch block", "lbbb", "complete left bundle branch block", "complete lbbb"],
  de=["linksschenkelblock", "schenkelblock links", "kompletter linksschenkelblock", "vollstandiger linksschenkelblock"],
  sv=["vanstersidigt skankelblock", "vanster skankelblock", "komplett vanstersidigt skankelblock"])
e("incomplete_lbbb", "incomplete left bundle branch block", ["bundle_branch_block"], ["ILBBB"], ["251120003"],
  en=["incomplete left bundle branch block", "incomplete lbbb", "partial left bundle branch block"],
  de=["inkompletter linksschenkelblock", "unvollstandiger linksschenkelblock", "schenkelblock partiell links"],
  sv=["inkomplett vanstersidigt skankelblock", "ospecifikt inkomplett skankelblock vanster"])
e("fascicular_block", "fascicular block", ["conduction"], [], ["445118002"], en=["fascicular block", "hemiblock"],
  de=["hemiblock", "faszikelblock"], sv=["fascikelblock", "hemiblock"])
e("lafb", "left anterior fascicular block", ["fascicular_block"], ["LAFB"], ["445118002"],
  en=["left anterior fascicular block", "left anterior hemiblock", "lafb", "lahb"],
  de=["linksanteriorer hemiblock", "linksanteriorer faszikelblock", "linker anteriorer hemiblock", "lahb"],
  sv=["vanster framre fascikelblock", "vanstersidigt framre fascikelblock"])
e("lpfb", "left posterior fascicular block", ["fascicular_block"], ["LPFB"], ["445211001"],
  en=["left posterior fascicular block", "left posterior hemiblock", "lpfb", "lphb"],
  de=["linksposteriorer hemiblock", "linksposteriorer faszikelblock", "lphb"], sv=["vanster bakre fascikelblock"])
e("bifascicular_block", "bifascicular block", ["conduction"], [], ["74615001"], en=["bifascicular block"],
  de=["bifaszikularer block"])
e("ivcd", "nonspecific intraventricular conduction disturbance", ["conduction"], ["IVCD"], ["698252002"],
  en=["non-specific intraventricular conduction delay", "non-specific intraventricular block",
      "nonspecific intraventricular conduction delay", "intraventricular conduction delay", "intraventricular block",
      "non-specific intraventricular delay", "intraventricular conduction defect", "ivcd",
      "mild non-specific intraventricular conduction delay", "non-specific intraventricular conduction disturbance"],
  de=["unspezifischer intraventrikularer block", "unspezifische intraventrikulare leitungsstorung",
      "intraventrikulare leitungsstorung", "intraventrikularer block"],
  sv=["ospecifikt intraventrikulart ledningshinder", "intraventrikulart ledningshinder"])

# ---- axis
e("left_axis_deviation", "left axis deviation", ["axis"], [], ["39732003"],
  en=["left axis deviation", "leftward axis", "left axis"], sv=["vanster el-axel"])
# German axis types: "Linkstyp" (-30 to +30 degrees) is a normal variant, unlike an "uberdrehter Linkstyp".
e("horizontal_axis", "horizontal (left) axis type", ["normal_axis"], [], [],
  en=["horizontal axis"], de=["linkstyp", "linkslagetyp", "llt", "linkslage"])
# A marked left axis deviation (beyond -30 degrees; German "uberdrehter Linkstyp") is the hallmark of a left
# anterior fascicular block, and PTB-XL's cardiologists code LAFB for it in most reports.
e("marked_left_axis_deviation", "marked left axis deviation", ["left_axis_deviation"], ["LAFB"], [],
  en=["marked left axis deviation", "abnormal left axis deviation", "extreme left axis deviation"],
  de=["uberdrehter linkstyp"], sv=["extrem vanster el-axel"])
e("right_axis_deviation", "right axis deviation", ["axis"], [], ["47665007"],
  en=["right axis deviation", "rightward axis", "right axis"], de=["rechtstyp", "uberdrehter rechtstyp", "rechtslagetyp"],
  sv=["hoger el-axel"])
e("normal_axis", "normal axis", ["axis"], [], [], en=["normal axis", "axis normal", "normal electrical axis"],
  de=["lagetyp normal", "normallagetyp", "indifferenztyp", "steiltyp", "mittellagetyp"], sv=["normal el-axel"])
e("indeterminate_axis", "indeterminate axis", ["axis"], [], ["251200008"], en=["indeterminate axis", "northwest axis"],
  de=["sagittaltyp"])

# ---- hypertrophy / enlargement
e("lvh", "left ventricular hypertrophy", ["hypertrophy"], ["LVH"], ["164873001"],
  en=["left ventricular hypertrophy", "lvh", "left ventricular hypertrophy with repolarization abnormality",
      "left ventricular hypertrophy with strain"],
  de=["linkshypertrophie", "linksventrikulare hypertrophie", "linksherzhypertrophie"],
  sv=["vanster kammarhypertrofi", "vanstersidig kammarhypertrofi"])
e("lvh_voltage", "voltage criteria for left ventricular hypertrophy", ["lvh"], ["VCLVH"], [],
  en=["voltage criteria for lvh", "voltages are high in chest leads suggesting lvh",
      "voltages are high in limb leads suggesting lvh", "suggesting lvh", "lvh by voltage criteria",
      "voltage criteria for left ventricular hypertrophy", "minimal voltage criteria for lvh", "high voltages suggesting lvh"],
  de=["amplitudenkriterien fur linkshypertrophie", "massige amplitudenkriterien fur linkshypertrophie",
      "sokolow-index positiv", "linkshypertrophie-zeichen"],
  sv=["hog amplitud i", "hoga amplituder"])
e("rvh", "right ventricular hypertrophy", ["hypertrophy"], ["RVH"], ["89792004"],
  en=["right ventricular hypertrophy", "rvh"], de=["rechtshypertrophie", "rechtsventrikulare hypertrophie"],
  sv=["hoger kammarhypertrofi"])
e("septal_hypertrophy", "septal hypertrophy", ["hypertrophy"], ["SEHYP"], [],
  en=["septal hypertrophy"], de=["septumhypertrophie"])
e("left_atrial_enlargement", "left atrial enlargement", ["hypertrophy"], ["LAO/LAE"], ["67741000119109", "446358003"],
  en=["left atrial enlargement", "left atrial overload", "left atrial abnormality", "p mitrale", "lae"],
  de=["p-sinistrocardiale", "p sinistrocardiale", "p-mitrale", "linksatriale belastung", "vorhofsuberbelastung links",
      "linksatriale vergrosserung", "p-verbreiterung"],
  sv=["vanster formaksbelastning", "p-sinistrocardiale", "p-mitrale"])
e("right_atrial_enlargement", "right atrial enlargement", ["hypertrophy"], ["RAO/RAE"], ["446813000"],
  en=["right atrial enlargement", "right atrial overload", "right atrial abnormality", "p pulmonale", "rae"],
  de=["p-dextrocardiale", "p dextrocardiale", "p-pulmonale", "rechtsatriale belastung", "vorhofsuberbelastung rechts"],
  sv=["hoger formaksbelastning", "p-pulmonale"])
e("biatrial_enlargement", "biatrial enlargement", ["hypertrophy"], [], [], en=["biatrial enlargement", "biatrial abnormality"],
  de=["p-biatriale"])

# ---- QRS form
e("abnormal_qrs", "abnormal QRS", [], ["ABQRS"], ["164951009"],
  en=["abnormal qrs", "qrs(t) abnormal", "qrs abnormal", "qrs t abnormal"],
  de=["qrs(t) abnorm", "qrs(t) abnormal", "qrs t abnorm", "qrs abnorm", "qrs-veranderung"],
  sv=["avvikande qrs(t) forlopp", "avvikande qrs t forlopp", "avvikande qrs"])
e("q_waves", "Q waves", [], ["QWAVE"], ["164917005"],
  en=["q waves", "q wave", "pathological q waves", "abnormal q waves", "qs complexes", "qs complex", "qs pattern"],
  de=["q-zacken", "pathologisches q", "q in", "q-zacke", "qs-komplex"], sv=["q-vagor", "patologiska q-vagor"])
# SCP's LVOLT is low voltage in the frontal and horizontal leads; low voltage in the limb leads only
# ("periphere Niederspannung") is kept apart as a child entity, but PTB-XL codes it LVOLT too (18% of reports).
e("low_qrs_voltage", "low QRS voltage", [], ["LVOLT"], ["251146004"],
  en=["low voltage", "low qrs voltage", "low qrs voltages", "low voltage qrs", "low volage", "low volrage",
      "generalized low voltage", "low voltage in precordial leads", "low chest lead voltage"],
  de=["niederspannung", "niederspannungs-ekg", "niedervoltage", "low voltage"],
  sv=["lag amplitud", "lagvoltage", "lag spanning"])
e("low_limb_voltage", "low limb lead voltage", ["low_qrs_voltage"], ["LVOLT"], [],
  en=["low limb lead voltage", "low voltages in limb leads", "low voltage in limb leads", "low limb voltage",
      "low voltage in frontal leads"],
  de=["periphere niederspannung", "periphere niedervoltage", "periphere low voltage", "periphere low volage"],
  sv=["laga qrs amplituder i extremitetsavledningarna", "lag amplitud i extremitetsavledningarna"])
e("high_qrs_voltage", "high QRS voltage", [], ["HVOLT"], ["251139008"],
  en=["high qrs voltage", "high voltage", "voltages in limb leads are at upper limit", "voltages are at upper limit",
      "voltages at upper limit", "voltages in chest leads are at upper limit", "increased qrs voltage"],
  de=["hohe amplituden", "hohe qrs-amplituden"], sv=["hoga qrs-amplituder"])
e("poor_r_progression", "poor R wave progression", [], [], ["365413008"],
  en=["poor r wave progression", "poor progression of r waves", "poor r progression", "slow r wave progression"],
  de=["langsame r-progression", "r-verlust", "verzogerte r-progression", "vermindertes r"], sv=["dalig r-progression"])
e("transition_shift", "shifted R/S transition", [], [], [],
  en=["clockwise rotation", "counterclockwise rotation", "early transition", "late transition"],
  de=["r-s ubergang in v ableitungen nach rechts verschoben", "r-s ubergang in v ableitungen nach links verschoben",
      "r/s-umschlag"])
e("fragmented_qrs", "fragmented QRS", [], [], [], en=["fragmented qrs", "notched qrs"], de=["aufgesplitterter qrs"])

# ---- ST / T
e("st_depression", "ST depression", ["st_t_change"], ["STD_"], ["429622005"],
  en=["st depression", "st segment depression", "st segments are depressed", "st-segment depression",
      "minor non-specific st segment depression", "st segments are depressed and t waves inverted",
      "horizontal st depression", "downsloping st depression", "st depression, consider ischemia"],
  de=["st-senkung", "st senkung", "st-streckensenkung", "diskrete st-senkung", "st-strecken-senkung",
      "horizontale st-senkung", "deszendierende st-senkung", "aszendierende st-senkung"],
  sv=["st-sankning", "st-sankningar"])
e("st_elevation", "ST elevation", ["st_t_change"], ["STE_"], ["164931005"],
  en=["st elevation", "st segment elevation", "st segments are elevated", "st-segment elevation", "elevated st"],
  de=["st-hebung", "st hebung", "st-streckenhebung", "st-strecken-hebung", "st-elevation"], sv=["st-hojning", "st-hojningar"])
e("nonspecific_st", "non-specific ST changes", ["st_t_change"], ["NST_"], ["428750005"],
  en=["non-specific st-t changes", "non-specific st-t wave changes", "minor non-specific st-t changes",
      "nonspecific st-t changes", "non-specific st changes", "nonspecific st abnormality", "non-specific st-t abnormality",
      "minor st-t changes", "minor non specific st-t changes", "non specific st-t changes"],
  de=["unspezifische st-veranderungen", "unspezifische st-t-veranderungen", "unspezifische erregungsruckbildungsstorung",
      "st-veranderungen"],
  sv=["ospecifika st-t forandringar", "ospecifik st-t forandring", "ospecifika st-forandringar"])
e("t_wave_abnormality", "T wave abnormality", ["st_t_change"], ["TAB_"], ["164934002"],
  en=["t wave abnormality", "t wave abnormalities", "abnormal t waves", "t wave changes"],
  de=["t-veranderungen", "t-veranderung", "t abnorm", "t abnormal", "t-wellen-veranderung"],
  sv=["t-vagsforandringar", "t-forandring", "avvikande t-vagor"])
e("nondiagnostic_t", "non-diagnostic T abnormalities", ["t_wave_abnormality"], ["NDT"], [],
  en=["non-diagnostic t abnormalities", "t waves are flat", "t waves flat", "non-specific t wave abnormality"],
  de=["unspezifisches abnormes t", "unspezifisches abnormales t", "t abnorm in", "t abnormal in"],
  sv=["ospecifik t-vagsforandring"])
e("nonspecific_t", "non-specific T wave changes", ["t_wave_abnormality"], ["NT_"], [],
  en=["non-specific t wave flattening", "t wave flattening", "non-specific t wave changes", "nonspecific t wave changes",
      "t wave flattening in"],
  de=["t-abflachung", "abgeflachtes t", "abgeflachte t-wellen"], sv=["flacka t-vagor", "t-avflackning"])
e("low_t", "low amplitude T waves", ["t_wave_abnormality"], ["LOWT"], ["164930006"],
  en=["t waves are low", "low t waves", "low amplitude t waves", "t waves are low or flat", "t waves low",
      "low amplitude t", "small t waves"],
  de=["flaches t", "niedrige t-wellen", "t-wellen-abflachung", "t-amplitude vermindert"], sv=["laga t-vagor"])
e("inverted_t", "T wave inversion", ["t_wave_abnormality"], ["INVT"], ["59931005"],
  en=["t waves are inverted", "inverted t waves", "t wave inversion", "t-wave inversion", "t waves inverted",
      "negative t waves", "t inversion", "t waves are slightly inverted"],
  de=["t-negativierung", "negatives t", "negative t-wellen", "t-wellen-inversion", "t negativ", "terminal negatives t"],
  sv=["negativa t-vagor", "inverterade t-vagor", "t-inversion"])
e("long_qt", "long QT interval", [], ["LNGQT"], ["111975006"],
  en=["prolonged qt", "prolonged qt interval", "long qt", "qt prolongation", "qt interval is prolonged",
      "prolonged qtc", "long qtc"],
  de=["qt-verlangerung", "verlangerte qt-zeit", "qt verlangert", "qtc-verlangerung"], sv=["forlangd qt-tid", "forlangt qt"])
e("short_qt", "short QT interval", [], [], ["77867006"], en=["short qt", "short qt interval"], de=["verkurzte qt-zeit"])
e("u_waves", "prominent U waves", [], [], ["164937009"], en=["u waves", "prominent u waves"], de=["u-welle", "u-wellen"])
e("early_repolarization", "early repolarization", ["st_t_change"], [], ["428417006"],
  en=["early repolarization", "early repolarisation", "benign early repolarization"],
  de=["fruhe repolarisation", "fruhrepolarisation"])
e("strain_pattern", "ventricular strain pattern", ["st_t_change"], [], [],
  en=["lv strain", "strain pattern", "left ventricular strain", "repolarization abnormality due to lvh"],
  de=["linksbelastung", "rechtsbelastung", "linksherzbelastung"], sv=["vanster kammarbelastning"])

# ---- drugs / metabolic
e("digitalis_effect", "digitalis effect", [], ["DIG"], [],
  en=["digitalis effect", "digoxin effect", "digitalis", "consistent with digitalis", "digitalis toxicity"],
  de=["digitaliseffekt", "digitalis-effekt", "digitaliswirkung", "muldenformige st-senkung"], sv=["digitaliseffekt"])
e("electrolyte_or_drug", "electrolyte disturbance or drug effect", [], ["EL"], [],
  en=["drug effect or an electrolyte disturbance", "electrolyte disturbance", "drug effect", "electrolyte abnormality",
      "hypokalaemia", "hypokalemia", "hyperkalaemia", "hyperkalemia", "hypocalcaemia", "hypercalcaemia",
      "electrolyte imbalance"],
  de=["elektrolytstorung", "hypokaliamie", "hyperkaliamie", "medikamentenwirkung"], sv=["elektrolytrubbning"])

# ---- infarction by territory (old/age undetermined); subtypes under territories
e("inferior_mi", "inferior myocardial infarction", ["infarction"], ["IMI"], ["164865005"],
  en=["inferior myocardial infarction", "inferior infarct", "inferior infarction", "old inferior myocardial infarction",
      "old inferior infarct", "inferior wall infarction", "inferior mi", "consistent with old inferior myocardial infarction",
      "inferior infarct, age undetermined"],
  de=["inferiorer infarkt", "inferiorer myokardinfarkt", "hinterwandinfarkt", "inferiorer myokardschaden"],
  sv=["inferior infarkt", "inferior myokardskada"])
e("inferolateral_mi", "inferolateral myocardial infarction", ["inferior_mi", "lateral_mi"], ["ILMI"], [],
  en=["inferolateral myocardial infarction", "inferolateral infarct", "inferolateral infarction"],
  de=["inferolateraler infarkt", "inferolateraler myokardschaden"], sv=["inferolateral infarkt", "inferolateral myokardskada"])
e("inferoposterior_mi", "inferoposterior myocardial infarction", ["inferior_mi", "posterior_mi"], ["IPMI"], [],
  en=["inferoposterior myocardial infarction", "inferoposterior infarct", "inferior posterior infarct"],
  de=["inferoposteriorer infarkt", "posteroinferiorer infarkt"], sv=["inferoposterior infarkt"])
e("inferoposterolateral_mi", "inferoposterolateral myocardial infarction", ["inferior_mi", "posterior_mi", "lateral_mi"],
  ["IPLMI"], [], en=["inferoposterolateral myocardial infarction", "inferoposterolateral infarct"],
  de=["inferoposterolateraler infarkt"])
e("anteroseptal_mi", "anteroseptal myocardial infarction", ["anterior_mi"], ["ASMI"], [],
  en=["anteroseptal myocardial infarction", "anteroseptal infarct", "anteroseptal infarction", "old anteroseptal infarct",
      "septal infarct", "anteroseptal mi", "old anteroseptal myocardial infarction"],
  de=["anteroseptaler infarkt", "septaler infarkt", "anteroseptaler myokardschaden", "septaler myokardschaden",
      "vorderwandspitzeninfarkt"],
  sv=["anteroseptal infarkt", "anteroseptal myokardskada", "septal infarkt"])
e("anterior_mi", "anterior myocardial infarction", ["infarction"], ["AMI"], ["54329005"],
  en=["anterior myocardial infarction", "anterior infarct", "anterior infarction", "anterior wall infarction",
      "old anterior infarct", "anterior mi"],
  de=["anteriorer infarkt", "vorderwandinfarkt", "anteriorer myokardschaden"], sv=["anterior infarkt", "anterior myokardskada"])
e("anterolateral_mi", "anterolateral myocardial infarction", ["anterior_mi", "lateral_mi"], ["ALMI"], [],
  en=["anterolateral myocardial infarction", "anterolateral infarct", "anterolateral infarction"],
  de=["anterolateraler infarkt", "anterolateraler myokardschaden"], sv=["anterolateral infarkt", "anterolateral myokardskada"])
e("lateral_mi", "lateral myocardial infarction", ["infarction"], ["LMI"], [],
  en=["lateral myocardial infarction", "lateral infarct", "high lateral infarct", "lateral infarction", "high lateral infarction"],
  de=["lateraler infarkt", "hochlateraler infarkt", "seitenwandinfarkt", "hochlateraler myokardschaden", "lateraler myokardschaden"],
  sv=["lateral infarkt", "hog lateral infarkt", "hog lateral myokardskada"])
e("posterior_mi", "posterior myocardial infarction", ["infarction"], ["PMI"], [],
  en=["posterior myocardial infarction", "posterior infarct", "posterior infarction", "true posterior infarct"],
  de=["posteriorer infarkt", "strikt posteriorer infarkt"], sv=["posterior infarkt"])
e("acute_mi", "acute myocardial infarction", ["infarction"], [], ["57054005"],
  en=["acute myocardial infarction", "acute infarct", "acute mi", "stemi", "acute injury"],
  de=["akuter infarkt", "frischer infarkt", "akuter myokardinfarkt"])
e("old_mi", "old myocardial infarction", ["infarction"], [], ["164867002"],
  en=["old myocardial infarction", "old infarct", "infarct of uncertain age", "age undetermined"],
  de=["alter infarkt", "chronischer infarkt", "abgelaufener infarkt"])

# ---- subendocardial injury (SCP 'INJ..')
e("injury_anteroseptal", "subendocardial injury in anteroseptal leads", ["myocardial_injury", "anteroseptal_mi"], ["INJAS"], [],
  en=["anteroseptal injury", "subendocardial injury in anteroseptal leads", "anteroseptal subendocardial injury"],
  de=["anteroseptaler myokardschaden", "subendokardialer schaden anteroseptal"])
e("injury_anterolateral", "subendocardial injury in anterolateral leads", ["myocardial_injury", "anterolateral_mi"],
  ["INJAL"], [], en=["anterolateral injury", "subendocardial injury in anterolateral leads"],
  de=["anterolateraler myokardschaden"])
e("injury_inferior", "subendocardial injury in inferior leads", ["myocardial_injury", "inferior_mi"], ["INJIN"], [],
  en=["inferior injury", "subendocardial injury in inferior leads"], de=["inferiorer myokardschaden"])
e("injury_lateral", "subendocardial injury in lateral leads", ["myocardial_injury", "lateral_mi"], ["INJLA"], [],
  en=["lateral injury", "subendocardial injury in lateral leads"], de=["lateraler myokardschaden"])
e("injury_inferolateral", "subendocardial injury in inferolateral leads", ["myocardial_injury", "inferolateral_mi"],
  ["INJIL"], [], en=["inferolateral injury", "subendocardial injury in inferolateral leads"],
  de=["inferolateraler myokardschaden"])

# ---- ischemia by territory
e("ischemia_nonspecific", "non-specific ischemia", ["ischemia"], ["ISC_"], [],
  en=["myocardial ischaemia may be present", "possible ischaemia", "ischaemia", "ischemia", "ischaemic changes",
      "ischemic changes", "consistent with ischaemia", "lv strain or ischaemia", "ischaemia or lv strain",
      "may be due to lv strain or ischaemia", "suggest ischaemia"],
  de=["ischamie", "ischamiezeichen", "myokardischamie"], sv=["ischemi"])
e("ischemia_anterolateral", "ischemia in anterolateral leads", ["ischemia"], ["ISCAL"], [],
  en=["anterolateral ischaemia", "anterolateral ischemia", "anterolateral myocardial ischaemia"],
  de=["anterolaterale ischamie", "anterolaterale ischamie oder linksbelastung"], sv=["anterolateral ischemi"])
e("ischemia_anteroseptal", "ischemia in anteroseptal leads", ["ischemia"], ["ISCAS"], [],
  en=["anteroseptal ischaemia", "anteroseptal ischemia"], de=["anteroseptale ischamie", "septale ischamie"],
  sv=["anteroseptal ischemi"])
e("ischemia_anterior", "ischemia in anterior leads", ["ischemia"], ["ISCAN"], [],
  en=["anterior ischaemia", "anterior ischemia", "anterior myocardial ischaemia"], de=["anteriore ischamie"],
  sv=["anterior ischemi"])
e("ischemia_inferior", "ischemia in inferior leads", ["ischemia"], ["ISCIN"], [],
  en=["inferior ischaemia", "inferior ischemia", "inferior myocardial ischaemia"], de=["inferiore ischamie"],
  sv=["inferior ischemi"])
e("ischemia_inferolateral", "ischemia in inferolateral leads", ["ischemia"], ["ISCIL"], [],
  en=["inferolateral ischaemia", "inferolateral ischemia", "inferolateral myocardial ischaemia"],
  de=["inferolaterale ischamie"], sv=["inferolateral ischemi"])
e("ischemia_lateral", "ischemia in lateral leads", ["ischemia"], ["ISCLA"], [],
  en=["lateral ischaemia", "lateral ischemia", "high lateral ischaemia"], de=["laterale ischamie", "hochlaterale ischamie"],
  sv=["lateral ischemi"])
e("aneurysm", "ventricular aneurysm", ["st_t_change"], ["ANEUR"], [],
  en=["ventricular aneurysm", "aneurysm", "left ventricular aneurysm", "consistent with ventricular aneurysm"],
  de=["aneurysma", "ventrikelaneurysma", "herzwandaneurysma"], sv=["aneurysm"])

# ---- normal / global statements
e("normal_ecg", "normal ECG", [], ["NORM"], ["426783006"],
  en=["normal ecg", "normal electrocardiogram", "within normal limits", "otherwise normal ecg", "normal tracing",
      "no abnormality", "no definite pathology", "otherwise no definite pathology"],
  de=["normales ekg", "sonst normales ekg", "ekg normal", "normalbefund", "ekg wahrscheinlich normal",
      "im normbereich", "unauffalliges ekg"],
  sv=["normalt ekg", "i ovrigt normalt ekg"])
e("borderline_ecg", "borderline ECG", [], [], [], en=["borderline ecg", "borderline electrocardiogram"],
  de=["grenzwertiges ekg", "grenzbefund"], sv=["granslinje-ekg"])
e("unconfirmed_report", "unconfirmed report", [], [], [], en=["unconfirmed report"], de=["unbestatigter bericht"])

# ---- further Challenge / MERL (CPSC, Chapman) classes and MIMIC phrases
e("atrial_escape", "atrial escape beat", ["escape_beat"], [], ["426664006"], en=["atrial escape beat", "atrial escape"],
  de=["vorhofersatzschlag"])
e("junctional_escape", "junctional escape beat", ["escape_beat"], [], ["426995002"],
  en=["junctional escape beat", "junctional escape", "nodal escape"], de=["knotenersatzschlag"])
e("ventricular_escape", "ventricular escape beat", ["escape_beat"], [], ["75532003"],
  en=["ventricular escape beat", "ventricular escape", "ventricular escape rhythm"], de=["ventrikularer ersatzschlag"])
e("junctional_premature", "junctional premature complex", ["ectopy"], [], ["251164006"],
  en=["junctional premature complex", "junctional premature beats", "premature junctional contraction"],
  de=["av-knoten-extrasystole", "nodale extrasystole"])
e("couplets", "ventricular couplets", ["ectopy"], [], [], en=["ventricular couplets", "couplet", "couplets", "salvos"],
  de=["couplets", "salven"])
e("atrial_couplets", "atrial couplets", ["ectopy"], [], [], en=["atrial couplets"])
e("av_dissociation", "atrioventricular dissociation", ["conduction"], [], ["50799005"],
  en=["av dissociation", "atrioventricular dissociation"], de=["av-dissoziation"])
e("prolonged_qrs", "prolonged QRS duration", ["conduction"], [], ["164953007"],
  en=["prolonged qrs", "wide qrs", "broad qrs", "qrs widening", "wide qrs complexes"],
  de=["verbreiterter qrs", "qrs-verbreiterung", "breiter qrs"])
e("right_ventricular_conduction_delay", "right ventricular conduction delay", ["conduction"], [], [],
  en=["rsr' in v1", "right ventricular conduction delay"], de=["rechtsventrikulare leitungsverzogerung"])
e("brugada", "Brugada pattern", ["st_t_change"], [], ["418818005"], en=["brugada", "brugada pattern"], de=["brugada"])
e("pericarditis", "pericarditis", ["st_t_change"], [], ["3238004"], en=["pericarditis", "acute pericarditis"],
  de=["perikarditis"])
e("pulmonary_disease", "pulmonary disease pattern", [], [], [], en=["pulmonary disease", "chronic pulmonary disease",
                                                                    "copd pattern", "pulmonary disease pattern"],
  de=["cor pulmonale", "lungenerkrankung"])
e("dextrocardia", "dextrocardia", ["axis"], [], ["27637000"], en=["dextrocardia"], de=["dextrokardie"])
e("lead_reversal", "lead misplacement", [], [], ["251188008"], en=["lead reversal", "arm lead reversal", "lead misplacement",
                                                                   "misplaced leads", "limb lead reversal"],
  de=["elektrodenvertauschung", "vertauschte elektroden"])
e("artifact", "artifact", [], [], [], en=["artifact", "artefact", "baseline wander", "noise", "technically poor",
                                          "poor quality", "artifacts"], de=["artefakt", "artefakte", "storung", "unruhige nulllinie"])
e("rate_related", "rate-related changes", [], [], [], en=["rate related", "rate-related"], de=["frequenzbedingt"])
e("p_wave_abnormality", "P wave abnormality", [], [], ["164912004"],
  en=["p wave abnormality", "abnormal p waves", "p wave changes", "biphasic p wave"], de=["p-welle auffallig", "p-veranderung"])
e("qt_prolongation_drug", "drug-induced QT prolongation", ["long_qt"], [], [], en=["drug-induced qt prolongation"])
e("r_wave_tall_v1", "tall R wave in V1", [], [], [], en=["tall r wave in v1", "tall r in v1", "dominant r wave in v1",
                                                         "prominent r in v1"], de=["hohes r in v1"])
e("sinus_node_dysfunction", "sinus node dysfunction", ["rhythm"], [], ["60423000"],
  en=["sick sinus syndrome", "sinus node dysfunction", "sinus node disease"], de=["sinusknotensyndrom", "sick-sinus-syndrom"])
e("tachy_brady", "tachycardia-bradycardia syndrome", ["rhythm"], [], [], en=["tachy-brady syndrome",
                                                                           "tachycardia-bradycardia syndrome"],
  de=["tachykardie-bradykardie-syndrom"])
e("paced_atrial", "atrial paced rhythm", ["pacemaker"], [], [], en=["atrial paced rhythm", "atrial-paced rhythm",
                                                                   "atrially paced"], de=["vorhofstimulation"])
e("paced_ventricular", "ventricular paced rhythm", ["pacemaker"], [], [], en=["ventricular paced rhythm",
                                                                              "ventricular-paced rhythm", "ventricularly paced"],
  de=["ventrikelstimulation", "kammerstimulation"])
e("av_sequential_paced", "AV sequential paced rhythm", ["pacemaker"], [], [], en=["av sequential paced rhythm",
                                                                                 "av dual-paced rhythm", "dual-paced"],
  de=["av-sequentielle stimulation"])
e("failure_to_capture", "pacemaker failure to capture", ["pacemaker"], [], [], en=["failure to capture", "loss of capture"],
  de=["exitblock"])
e("rapid_ventricular_response", "rapid ventricular response", [], [], [],
  en=["rapid ventricular response", "with rapid ventricular response", "fast ventricular response"],
  de=["tachyarrhythmie", "tachykarde uberleitung"])
e("slow_ventricular_response", "slow ventricular response", [], [], [],
  en=["slow ventricular response", "with slow ventricular response"], de=["bradyarrhythmie", "bradykarde uberleitung"])
e("controlled_ventricular_response", "controlled ventricular response", [], [], [],
  en=["controlled ventricular response", "with controlled ventricular response"], de=["normofrequent", "normokard"])
e("atrial_flutter_2to1", "atrial flutter with 2:1 block", ["atrial_flutter"], [], [],
  en=["atrial flutter with 2:1 block", "atrial flutter with 2:1 av block", "flutter with 2:1 conduction"])
e("atrial_flutter_variable", "atrial flutter with variable block", ["atrial_flutter"], [], [],
  en=["atrial flutter with variable block", "atrial flutter with variable av block"])
e("abnormal_r_progression", "abnormal R wave progression", ["poor_r_progression"], [], [],
  en=["abnormal r wave progression", "abnormal r-wave progression", "reversed r wave progression"])
e("st_t_inferior", "inferior ST-T changes", ["st_t_change"], [], [],
  en=["inferior st-t changes", "st-t changes in inferior leads", "inferior t wave changes"], de=["t abnorm in inferioren ableitungen"])
e("st_t_lateral", "lateral ST-T changes", ["st_t_change"], [], [],
  en=["lateral st-t changes", "st-t changes in lateral leads", "lateral t wave changes"],
  de=["t abnorm in hochlateralen ableitungen", "t abnorm in lateralen ableitungen"])
e("st_t_anterior", "anterior ST-T changes", ["st_t_change"], [], [],
  en=["anterior st-t changes", "st-t changes in anterior leads", "anterior t wave changes"],
  de=["t abnorm in anterolateralen ableitungen", "t abnorm in anterioren ableitungen"])
e("rv_strain", "right ventricular strain", ["strain_pattern"], [], [], en=["right ventricular strain", "rv strain"],
  de=["rechtsherzbelastung"])
e("lv_strain", "left ventricular strain", ["strain_pattern"], [], [], en=["left ventricular strain", "lv strain",
                                                                          "strain pattern of lvh"], de=["linksherzbelastung"])
e("hyperacute_t", "hyperacute T waves", ["t_wave_abnormality"], [], [], en=["hyperacute t waves", "peaked t waves",
                                                                            "tall t waves", "prominent t waves"],
  de=["hohe t-wellen", "zeltformiges t", "spitzes t"])
e("biphasic_t", "biphasic T waves", ["t_wave_abnormality"], [], [], en=["biphasic t waves", "biphasic t"],
  de=["biphasisches t", "biphasische t-wellen"])
e("j_point_elevation", "J point elevation", ["st_t_change"], [], [], en=["j point elevation", "j-point elevation"],
  de=["j-punkt-hebung", "j-punkt hebung"])
e("exercise_test", "exercise test", [], [], [], en=["exercise test", "stress test"], de=["ergometrie", "belastung"])
e("trace_only", "trace only requested", [], [], [], en=["trace only requested", "trace only"])

if __name__ == "__main__":
    ids = {x["id"] for x in E}
    for x in E:
        for p in x["parents"]:
            assert p in ids, (x["id"], p)
    assert len(ids) == len(E), "duplicate ids"
    with open(sys.argv[1], "w") as f:
        json.dump({"version": 1, "source": "kmerl-model/src/main/python/make_vocabulary.py", "entities": E}, f,
                  ensure_ascii=False, indent=1)
    print(len(E), "entities")
